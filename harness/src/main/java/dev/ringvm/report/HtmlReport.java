package dev.ringvm.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ringvm.probe.protocol.CaseClass;
import dev.ringvm.model.UnavailableKernel;
import dev.ringvm.verdict.JudgedVm;
import dev.ringvm.verdict.Judgement;
import dev.ringvm.verdict.Verdict;

/**
 * report.html: one self-contained file (inline CSS and JS, no network): a heatmap of kernel x memory rows by
 * case class columns, coloured by verdict with the outcome in each cell, and a detail panel for the selected
 * cell (its reason, every case with all record fields, the VM's boot data and console excerpt). The data is
 * report.json embedded as JSON; the heatmap itself is static HTML, readable without JS.
 */
public final class HtmlReport {
    private HtmlReport() {}

    public static String render(Judgement j) {
        String json;
        try {
            json = RunDirectory.JSON.writeValueAsString(JsonReport.build(j));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>ringvm report</title>\n<style>\n")
                .append(CSS).append("</style></head><body>\n");
        int exit = j.exitCode().code();
        b.append("<header><h1>ringvm <span class=\"sub\">io_uring NO_MMAP ring setup per kernel</span></h1>")
                .append("<div class=\"exit exit").append(exit).append("\">exit ").append(exit).append(" · ")
                .append(switch (exit) { case 0 -> "nothing unexpected"; case 1 -> "unexpected results"; default -> "infrastructure problems"; })
                .append("</div></header>\n<div class=\"meta\">")
                .append(esc(j.run().started().toString())).append(" · ").append(j.run().vms().size()).append(" of ")
                .append(j.run().planned()).append(" boots · accel ").append(esc(j.run().accel())).append(" · nonce ")
                .append(esc(j.run().nonce())).append("</div>\n<div class=\"totals\">");
        j.totals().forEach((v, n) -> b.append("<span class=\"chip v-").append(v.name()).append("\">").append(v.label())
                .append(" <b>").append(n).append("</b></span>"));
        j.vmTotals().forEach((v, n) -> b.append("<span class=\"chip v-").append(v.name()).append("\">VM ").append(v.label())
                .append(" <b>").append(n).append("</b></span>"));
        b.append("</div>\n<main><section class=\"map\"><table class=\"heat\"><thead><tr><th>kernel / release</th><th>mem</th><th>vm</th>");
        for (CaseClass c : CaseClass.values()) b.append("<th>").append(esc(c.title())).append("</th>");
        b.append("</tr></thead><tbody>\n");
        int r = 0;
        for (JudgedVm vm : j.vms()) {
            Verdict bootV = vm.issues().stream().map(JudgedVm.Issue::verdict).reduce(Verdict.PASS, Verdict::worst);
            b.append("<tr><th class=\"k\">").append(esc(vm.kernel())).append("<div class=\"rel\">").append(esc(vm.release()))
                    .append("</div></th><td class=\"mem\">").append(vm.boots().getFirst().job().memoryLabel()).append(vm.boots().size() > 1 ? " ×" + vm.boots().size() : "")
                    .append("</td><td class=\"cell v-").append(bootV.name()).append("\" data-row=\"").append(r).append("\" data-col=\"vm\">")
                    .append(vm.complete() ? (vm.issues().isEmpty() ? "ok" : "findings") : "INFRA").append("</td>");
            for (CaseClass c : CaseClass.values()) {
                JudgedVm.Column col = vm.column(c);
                if (col.total() == 0) { b.append("<td class=\"cell empty\">–</td>"); continue; }
                b.append("<td class=\"cell v-").append(col.verdict().name()).append("\" data-row=\"").append(r)
                        .append("\" data-col=\"").append(c).append("\" title=\"").append(esc(col.representative().reason()))
                        .append("\"><div class=\"vl\">").append(col.verdict().label()).append("</div><div class=\"oc\">")
                        .append(esc(col.summary())).append("</div></td>");
            }
            b.append("</tr>\n");
            r++;
        }
        b.append("</tbody></table>\n<div class=\"legend\">");
        for (Verdict v : Verdict.values()) b.append("<span class=\"chip v-").append(v.name()).append("\">").append(v.label()).append("</span>");
        b.append("<span class=\"hint\">click a cell for details</span></div>\n");
        for (UnavailableKernel u : j.run().unavailable()) {
            b.append("<p class=\"unavail\">").append(esc(u.id())).append(": unavailable: ").append(esc(u.reason())).append("</p>");
        }
        b.append("<ul class=\"notpass\" id=\"notpass\"></ul></section>\n<aside id=\"detail\"><p class=\"hint\">Select a cell.</p></aside></main>\n")
                .append("<script type=\"application/json\" id=\"data\">").append(json.replace("</", "<\\/")).append("</script>\n<script>\n")
                .append(JS).append("</script>\n</body></html>\n");
        return b.toString();
    }

    static String esc(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String CSS = """
            :root{--pass:#c8e6c9;--known:#ffe08a;--unsup:#e3e3e3;--regr:#f28b82;--fixed:#7fdbe8;--flaky:#d7a6e8;--infra:#90b8f8}
            *{box-sizing:border-box}body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;padding:16px 20px;color:#1d1d1f;background:#fafafa}
            header{display:flex;align-items:baseline;gap:16px}h1{font-size:22px;margin:0}.sub{font-weight:400;color:#666;font-size:15px}
            .exit{padding:3px 10px;border-radius:12px;font-weight:600}.exit0{background:var(--pass)}.exit1{background:var(--regr)}.exit3,.exit2,.exit4{background:var(--infra)}
            .meta{color:#666;margin:4px 0 8px}.totals{margin-bottom:12px}
            .chip{display:inline-block;padding:2px 8px;margin:0 6px 4px 0;border-radius:10px;font-size:12px}
            main{display:flex;gap:16px;align-items:flex-start}.map{flex:1 1 auto;min-width:0;overflow-x:auto}
            aside{flex:0 0 350px;background:#fff;border:1px solid #ddd;border-radius:8px;padding:12px 14px;position:sticky;top:10px;max-height:calc(100vh - 30px);overflow:auto}
            table.heat{border-collapse:separate;border-spacing:3px}table.heat th{font-size:12px;text-align:left;color:#444;padding:2px 6px;white-space:nowrap}
            .rel{font:10px ui-monospace,monospace;color:#555;white-space:nowrap;font-weight:400}td.mem{white-space:nowrap;color:#444}
            td.cell{min-width:76px;padding:3px 5px;border-radius:6px;cursor:pointer;text-align:center;white-space:nowrap;border:2px solid transparent}
            td.cell:hover{border-color:#555}td.cell.sel{border-color:#000;box-shadow:0 0 0 1px #000}td.cell.empty{background:#f0f0f0;color:#aaa;cursor:default}
            .vl{font-weight:700;font-size:10px;letter-spacing:.02em}.oc{font:12px ui-monospace,monospace}
            .v-PASS{background:var(--pass)}.v-KNOWN_BUG{background:var(--known)}.v-UNSUPPORTED{background:var(--unsup)}.v-REGRESSION{background:var(--regr)}
            .v-FIXED{background:var(--fixed)}.v-FLAKY{background:var(--flaky)}.v-INFRA{background:var(--infra)}
            .legend{margin:10px 0}.hint{color:#888;font-size:12px}ul.notpass{padding-left:18px;max-width:900px}ul.notpass li{margin:3px 0}
            aside h2{font-size:16px;margin:0 0 6px}aside .reason{margin:6px 0 10px;padding:6px 8px;border-radius:6px}
            aside table{border-collapse:collapse;width:100%;font-size:12px;table-layout:auto}aside .kv{table-layout:fixed;word-break:break-all}aside .cases{table-layout:fixed;font-size:11px;overflow-wrap:anywhere}aside .cases .tag{white-space:nowrap}aside .kv th{width:38%}aside td,aside th{border-bottom:1px solid #eee;padding:3px 4px;text-align:left;vertical-align:top}
            aside tr.case{cursor:pointer}aside tr.case:hover{background:#f5f5f5}aside td.mono,aside .kv td{font-family:ui-monospace,monospace}
            pre{background:#1e1e1e;color:#ddd;padding:8px;border-radius:6px;overflow:auto;font-size:11px;max-height:260px;white-space:pre-wrap;word-break:break-all}
            .tag{display:inline-block;padding:0 6px;border-radius:8px;font-size:11px}.unavail{color:#b00}
            """;

    private static final String JS = """
            const D=JSON.parse(document.getElementById('data').textContent);
            const esc=s=>String(s==null?'':s).replace(/[&<>"]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
            const SHORT={PASS:'PASS',KNOWN_BUG:'KNOWN',UNSUPPORTED:'UNSUP',REGRESSION:'REGR',FIXED:'FIXED',FLAKY:'FLAKY',INFRA:'INFRA'};
            const title=c=>c==='single-page'?c:'multi/'+c;
            function kv(o){return '<table class="kv">'+Object.entries(o||{}).map(([k,v])=>'<tr><th>'+esc(k)+'</th><td>'+esc(typeof v==='object'&&v!==null?JSON.stringify(v):v)+'</td></tr>').join('')+'</table>';}
            function show(ri,col){
              document.querySelectorAll('td.cell.sel').forEach(e=>e.classList.remove('sel'));
              const td=document.querySelector('td.cell[data-row="'+ri+'"][data-col="'+col+'"]');if(td)td.classList.add('sel');
              const row=D.rows[ri];const boots=D.vms.filter(v=>v.cell===row.cell);
              let h='<h2>'+esc(row.cell)+(col==='vm'?' · VM':' · '+esc(title(col)))+'</h2><div class="hint">'+esc(row.release)+' · '+row.boots+' boot(s)</div>';
              if(col!=='vm'){const c=row.columns[col];h+='<div class="reason v-'+c.verdict+'"><b>'+c.verdict.replace('_',' ')+'</b> '+esc(c.summary)+'<br>'+esc(c.reason)+'</div>';
                const cs=D.cells.filter(x=>x.kernel===row.kernel&&x.memoryMiB===row.memoryMiB&&x.caseClass===col);
                h+='<table class="cases"><colgroup><col style="width:44%"><col style="width:18%"><col style="width:18%"><col style="width:20%"></colgroup><tr><th>case</th><th>got</th><th>want</th><th>verdict</th></tr>';
                cs.forEach((x,i)=>{h+='<tr class="case" data-i="'+i+'"><td class="mono">'+esc(x.id)+'</td><td class="mono">'+esc(x.outcome)+'</td><td class="mono">'+esc(x.expected)+'</td><td><span class="tag v-'+x.verdict+'">'+SHORT[x.verdict]+'</span></td></tr><tr class="more" hidden><td colspan="4"><div>'+esc(x.reason)+'</div>'+kv(x)+'</td></tr>';});
                h+='</table>';}
              h+='<h2 style="margin-top:12px">VM</h2>';
              row.issues.forEach(i=>{h+='<div class="reason v-'+i.verdict+'"><b>'+i.verdict+'</b> '+esc(i.boot)+': '+esc(i.reason)+'</div>'+(i.excerpt?'<pre>'+esc(i.excerpt)+'</pre>':'');});
              boots.forEach(b=>{h+='<div class="hint">'+esc(b.name)+': '+esc(b.status)+', boot '+(b.bootSeconds==null?'?':b.bootSeconds+' s')+', grid '+(b.runSeconds==null?'?':b.runSeconds.toFixed(1)+' s')+', wall '+b.wallSeconds+' s, '+esc(b.accel)+', '+b.findings.length+' console finding(s); tainted '+(b.header&&b.header.tainted!=null?b.header.tainted:'?')+' → '+(b.end&&b.end.tainted!=null?b.end.tainted:'?')+'</div>';
                b.findings.forEach(f=>{const shown=row.issues.some(i=>i.excerpt===f.excerpt);h+='<div><b>'+esc(f.kind)+'</b> console.log:'+f.line+': '+esc(f.text)+'</div>'+(shown?'':'<pre>'+esc(f.excerpt)+'</pre>');});});
              if(col==='vm'&&boots[0])h+=kv(boots[0].header);
              const a=document.getElementById('detail');a.innerHTML=h;
              a.querySelectorAll('tr.case').forEach(tr=>tr.addEventListener('click',()=>{const m=tr.nextElementSibling;m.hidden=!m.hidden;}));
            }
            document.querySelectorAll('td.cell[data-row]').forEach(td=>td.addEventListener('click',()=>show(+td.dataset.row,td.dataset.col)));
            const order=['REGRESSION','FLAKY','FIXED','INFRA','KNOWN_BUG','UNSUPPORTED','PASS'];
            const np=[];D.rows.forEach((r,ri)=>{r.issues.forEach(i=>np.push([order.indexOf(i.verdict),ri,'vm','<span class="tag v-'+i.verdict+'">'+i.verdict+'</span> '+esc(r.cell)+' VM: '+esc(i.reason)]));
              const by={};Object.entries(r.columns).forEach(([c,v])=>{if(v.verdict==='PASS')return;(by[v.verdict]=by[v.verdict]||[]).push([c,v]);});
              Object.entries(by).forEach(([vd,cs])=>{const where=cs.length===Object.keys(r.columns).length?'every column':cs.map(x=>title(x[0])).join(', ');
                np.push([order.indexOf(vd),ri,cs[0][0],'<span class="tag v-'+vd+'">'+vd.replace('_',' ')+'</span> '+esc(r.cell)+' '+esc(where)+': '+esc(cs[0][1].reason)]);});});
            np.sort((a,b)=>a[0]-b[0]);
            document.getElementById('notpass').innerHTML=np.slice(0,40).map(x=>'<li><a href="#" data-r="'+x[1]+'" data-c="'+x[2]+'">'+x[3]+'</a></li>').join('');
            document.querySelectorAll('#notpass a').forEach(a=>a.addEventListener('click',e=>{e.preventDefault();show(+a.dataset.r,a.dataset.c);}));
            if(D.rows.length){const f=np.length?np[0]:[0,0,Object.keys(D.rows[0].columns)[0]||'vm'];show(f[1],f[2]);}
            """;
}
