"""A TCP proxy that delays every chunk a client sends by a fixed time before forwarding it, so each
query round trip to the database behind it takes that much longer. Bench-only.

    python3 bench/latency_proxy.py LISTEN_PORT TARGET_PORT DELAY_MS
"""

import asyncio
import sys
import time


async def main(listen_port, target_port, delay):
    async def connection(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target_port)
        except OSError:
            client_writer.close()
            return
        queue = asyncio.Queue()

        async def receive():
            # Stamps each chunk on arrival; order is kept by the queue.
            try:
                while data := await client_reader.read(65536):
                    queue.put_nowait((time.monotonic() + delay, data))
            except OSError:
                pass
            queue.put_nowait((0, b""))

        async def deliver():
            try:
                while True:
                    due, data = await queue.get()
                    if not data:
                        break
                    wait = due - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    server_writer.write(data)
                    await server_writer.drain()
            except OSError:
                pass
            finally:
                server_writer.close()

        async def reply():
            try:
                while data := await server_reader.read(65536):
                    client_writer.write(data)
                    await client_writer.drain()
            except OSError:
                pass
            finally:
                client_writer.close()

        await asyncio.gather(receive(), deliver(), reply())

    server = await asyncio.start_server(connection, "127.0.0.1", listen_port)
    print(f"latency proxy 127.0.0.1:{listen_port} -> :{target_port}, +{delay * 1000:.0f} ms per request chunk", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]) / 1000))
