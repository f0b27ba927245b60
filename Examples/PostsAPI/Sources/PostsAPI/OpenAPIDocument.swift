import Foundation
import QuarryHummingbird

/// The OpenAPI 3.1 description of the service, built from the registered routes.
enum OpenAPIDocument {
    static func build(_ routes: [APIRoute]) -> JSONValue {
        var paths: [(String, [(String, JSONValue)])] = []
        for route in routes {
            let operation = Self.operation(route)
            let method = "\(route.method)".lowercased()
            if let index = paths.firstIndex(where: { $0.0 == route.path }) {
                paths[index].1.append((method, operation))
            } else {
                paths.append((route.path, [(method, operation)]))
            }
        }
        return .object([
            ("openapi", .string("3.1.0")),
            (
                "info",
                .object([
                    ("title", .string("Posts API")), ("version", .string("1.0.0")),
                    ("description", .string("The users/posts reference service of Quarry.")),
                ])
            ),
            ("paths", .object(paths.map { ($0.0, .object($0.1)) })),
            ("components", .object([("schemas", .object(Schema.components))])),
        ])
    }

    static func operation(_ route: APIRoute) -> JSONValue {
        var operation: [(String, JSONValue)] = [
            ("summary", .string(route.summary)),
            (
                "operationId",
                .string(
                    "\(route.method)".lowercased()
                        + route.path.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "{", with: "")
                        .replacingOccurrences(of: "}", with: "")
                )
            ),
        ]
        if !route.parameters.isEmpty {
            operation.append(
                (
                    "parameters",
                    .array(
                        route.parameters.map { p in
                            .object([
                                ("name", .string(p.name)), ("in", .string(p.location)), ("required", .bool(p.required)),
                                ("schema", p.schema),
                            ])
                        }
                    )
                )
            )
        }
        if let body = route.requestBody {
            operation.append(
                (
                    "requestBody",
                    .object([
                        ("required", .bool(true)),
                        ("content", .object([("application/json", .object([("schema", body)]))])),
                    ])
                )
            )
        }
        operation.append(
            (
                "responses",
                .object(
                    route.responses.map { response in
                        var value: [(String, JSONValue)] = [("description", .string(response.description))]
                        if let schema = response.schema {
                            value.append(("content", .object([("application/json", .object([("schema", schema)]))])))
                        }
                        return (String(response.status), .object(value))
                    }
                )
            )
        )
        return .object(operation)
    }
}

/// `/docs`: a self-contained page that renders `/openapi.json` (no CDN, no external script).
enum DocsPage {
    static let html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Posts API — docs</title>
        <style>
        body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#222}
        h1{margin-bottom:0}.op{border:1px solid #ddd;border-radius:6px;margin:.8rem 0;padding:.6rem .9rem}
        .m{display:inline-block;min-width:4.5rem;font-weight:700;text-transform:uppercase}
        .get{color:#0a7}.post{color:#07c}.patch{color:#c70}.delete{color:#c33}
        code,pre{background:#f6f6f6;border-radius:4px;padding:.1rem .3rem}pre{padding:.6rem;overflow:auto}
        table{border-collapse:collapse}td,th{border-bottom:1px solid #eee;padding:.2rem .6rem;text-align:left}
        </style></head><body>
        <h1 id="title">Posts API</h1><p id="desc"></p><div id="ops">Loading /openapi.json…</div>
        <script>
        function esc(s){return String(s).replace(/[&<>"]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]))}
        function schemaText(s){return s&&s.$ref?s.$ref.split('/').pop():JSON.stringify(s)}
        fetch('/openapi.json').then(r=>r.json()).then(doc=>{
          document.getElementById('title').textContent=doc.info.title+' '+doc.info.version;
          document.getElementById('desc').textContent=doc.info.description||'';
          let html='';
          for(const [path,ops] of Object.entries(doc.paths)){for(const [m,op] of Object.entries(ops)){
            html+='<div class="op"><span class="m '+m+'">'+m+'</span> <code>'+esc(path)+'</code> — '+esc(op.summary||'');
            if(op.parameters){html+='<table><tr><th>parameter</th><th>in</th><th>schema</th></tr>';
              for(const p of op.parameters)html+='<tr><td>'+esc(p.name)+'</td><td>'+esc(p.in)+'</td><td><code>'+esc(JSON.stringify(p.schema))+'</code></td></tr>';html+='</table>'}
            if(op.requestBody){html+='<p>Body: <code>'+esc(schemaText(op.requestBody.content['application/json'].schema))+'</code></p>'}
            html+='<table><tr><th>status</th><th>description</th><th>body</th></tr>';
            for(const [s,r] of Object.entries(op.responses)){const c=r.content&&r.content['application/json'];
              html+='<tr><td>'+s+'</td><td>'+esc(r.description)+'</td><td><code>'+esc(c?schemaText(c.schema):'')+'</code></td></tr>'}
            html+='</table></div>'}}
          html+='<h2>Schemas</h2>';
          for(const [n,s] of Object.entries(doc.components.schemas))html+='<h3 id="'+esc(n)+'">'+esc(n)+'</h3><pre>'+esc(JSON.stringify(s,null,2))+'</pre>';
          document.getElementById('ops').innerHTML=html;
        });
        </script></body></html>
        """
}
