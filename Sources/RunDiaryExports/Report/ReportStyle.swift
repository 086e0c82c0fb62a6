/// The report's stylesheet: readable on a phone, printed on A4 with sections kept whole where they fit.
enum ReportStyle {
    static let css = """
        :root{color-scheme:light;--ink:#1f2933;--muted:#616e7c;--line:#d9dee3;--accent:#2471a3}
        *{box-sizing:border-box}
        body{margin:0;background:#f4f6f8;color:var(--ink);font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
        main{max-width:1100px;margin:0 auto;padding:20px 24px 32px;background:#fff}
        h1{font-size:22px;margin:0 0 2px}h2{font-size:17px;margin:26px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--accent)}
        h3{font-size:15px;margin:12px 0 2px}
        .meta,.muted,.note,figcaption{color:var(--muted)}.note,figcaption{font-size:12px}
        .figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:8px;margin:0}
        .figures div{border:1px solid var(--line);border-radius:6px;padding:6px 10px}
        .figures dt{font-size:12px;color:var(--muted)}.figures dd{margin:0;font-size:18px;font-weight:600}
        figure{margin:8px 0}svg.chart{width:100%;height:auto;display:block}
        .scroll{overflow-x:auto}
        table{border-collapse:collapse;width:100%;font-size:12.5px}
        th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
        th{background:#eef2f6;font-weight:600}
        table.compact td,table.compact th{padding:2px 6px}
        td.text{white-space:pre-wrap;min-width:12em}
        td.score{font-weight:700;text-align:center}.score.high{color:#b03a2e}.score.mid{color:#b9770e}.score.low{color:#1e8449}
        ul.flags{padding-left:18px}ul.flags li{margin:3px 0}ul.flags li.above-ceiling::marker{color:#b03a2e}ul.flags li.morning-rise::marker{color:#b9770e}
        time{font-variant-numeric:tabular-nums;color:var(--muted);margin-right:4px}
        .meter{display:inline-block;width:90px;height:8px;background:#e5e7eb;border-radius:4px;overflow:hidden}
        .meter span{display:block;height:100%;background:#1e8449}.meter span.over{background:#b03a2e}
        .plan{border-left:3px solid var(--line);padding-left:10px;margin:10px 0}
        footer{margin-top:24px;font-size:11.5px;color:var(--muted)}
        @media (max-width:600px){main{padding:12px}body{font-size:13px}.figures dd{font-size:16px}}
        @page{size:A4;margin:12mm}
        @media print{body{background:#fff;font-size:10.5pt}main{max-width:none;padding:0}
        section{break-inside:avoid-page}#pain-entries,#run-notes,#weekly-load{break-inside:auto}
        tr,figure{break-inside:avoid}thead{display:table-header-group}h2{break-after:avoid}.scroll{overflow:visible}}
        """
}
