/// The report's stylesheet: page one (summary, one chart, grouped flags) first, readable on a phone (charts switch
/// to their narrow layout below 600 px), printed on A4 with the details from page two on.
enum ReportStyle {
    static let css = """
        :root{color-scheme:light;--ink:#1f2933;--muted:#616e7c;--line:#d9dee3;--accent:#2471a3}
        *{box-sizing:border-box}
        body{margin:0;background:#f4f6f8;color:var(--ink);font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
        main{max-width:1100px;margin:0 auto;padding:20px 24px 32px;background:#fff}
        h1{font-size:22px;margin:0 0 2px}h2{font-size:17px;margin:26px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--accent)}
        h3{font-size:15px;margin:12px 0 2px}
        .meta,.muted,.note,figcaption{color:var(--muted)}.note,figcaption{font-size:12px}
        ul.story,ul.questions{padding-left:20px;margin:6px 0 10px}ul.story li,ul.questions li{margin:4px 0}
        ul.questions li::marker{content:"? ";font-weight:700;color:#b9770e}
        .figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:8px;margin:8px 0}
        .figures div{border:1px solid var(--line);border-radius:6px;padding:6px 10px}
        .figures dt{font-size:12px;color:var(--muted)}.figures dd{margin:0;font-size:18px;font-weight:600}
        figure{margin:8px 0}svg.chart{width:100%;height:auto;display:block}svg.chart.narrow{display:none}
        .scroll{overflow-x:auto}
        table{border-collapse:collapse;width:100%;font-size:12.5px}
        th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
        th{background:#eef2f6;font-weight:600}
        table.compact td,table.compact th{padding:2px 6px}
        tr.gap td{background:repeating-linear-gradient(135deg,#f4f6f8 0 6px,#fff 6px 12px);text-align:center;font-style:italic;color:#3e4c59}
        td.text{white-space:pre-wrap;min-width:12em}
        td.score{font-weight:700;text-align:center}.score.high{color:#b03a2e}.score.mid{color:#b9770e}.score.low{color:#1e8449}
        table.flags tr.above-ceiling td:first-child{border-left:4px solid #b03a2e}table.flags tr.morning-rise td:first-child{border-left:4px solid #b9770e}
        tr.flagged td:last-child{color:#b03a2e;font-weight:600}
        time{font-variant-numeric:tabular-nums;color:var(--muted);margin-right:4px}
        .meter{display:inline-block;width:90px;height:8px;background:#e5e7eb;border-radius:4px;overflow:hidden}
        .meter span{display:block;height:100%;background:#1e8449}.meter span.over{background:#b03a2e}
        .plan{border-left:3px solid var(--line);padding-left:10px;margin:10px 0}
        footer{margin-top:24px;font-size:11.5px;color:var(--muted)}
        @media (max-width:600px){main{padding:12px}body{font-size:15px}.figures{grid-template-columns:repeat(2,1fr)}
        .figures dd{font-size:16px}svg.chart.wide{display:none}svg.chart.narrow{display:block}table{font-size:13px}}
        @page{size:A4;margin:12mm}
        @media print{body{background:#fff;font-size:10.5pt}main{max-width:none;padding:0}
        #flags{break-after:page}section{break-inside:avoid-page}#pain-entries,#run-notes,#weekly-load,#adherence{break-inside:auto}
        tr,figure{break-inside:avoid}thead{display:table-header-group}h2{break-after:avoid}.scroll{overflow:visible}}
        """
}
