/// The documentation page: self-contained (no CDN, no external script), it renders the OpenAPI
/// document of the same server.
enum DocsPage {
    /// The page, reading the document from `documentPath`.
    static func html(documentPath: String) -> String {
        let script = "const DOCUMENT=" + (JSONValue.string(documentPath).serialized()) + ";"
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>API docs</title>
            <style>
            body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#222}
            h1{margin-bottom:0}.op{border:1px solid #ddd;border-radius:6px;margin:.8rem 0;padding:.6rem .9rem}
            .m{display:inline-block;min-width:4.5rem;font-weight:700;text-transform:uppercase}
            .get{color:#0a7}.post{color:#07c}.patch{color:#c70}.delete{color:#c33}
            code,pre{background:#f6f6f6;border-radius:4px;padding:.1rem .3rem}pre{padding:.6rem;overflow:auto}
            table{border-collapse:collapse}td,th{border-bottom:1px solid #eee;padding:.2rem .6rem;text-align:left}
            </style></head><body>
            <h1 id="title">API</h1><p id="desc"></p><div id="ops">Loading /openapi.json…</div>
            <script>
            \(script)
            function esc(s){return String(s).replace(/[&<>"]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]))}
            function schemaText(s){return s&&s.$ref?s.$ref.split('/').pop():JSON.stringify(s)}
            fetch(DOCUMENT).then(r=>r.json()).then(doc=>{
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
}
