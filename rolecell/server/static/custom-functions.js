// rolecell custom functions for Office.js: each call goes to xlwings Server's
// /xlwings/custom-functions-call, which runs rolecell.excel.functions in Python.
const ROLECELL_XLWINGS_VERSION = "{{version}}";
const ROLECELL_BASE = (document.currentScript && document.currentScript.src)
  ? new URL(document.currentScript.src).origin : "";

async function rolecellCall(funcName, args) {
  // the last argument Office.js passes is the invocation (address of the calling cell)
  const invocation = args.length ? args[args.length - 1] : null;
  const values = args.slice(0, -1).map((v) => (v === undefined ? null : v));
  let culture = "en-US", dateFormat = null;
  try {
    await Excel.run(async (context) => {
      const info = context.application.cultureInfo;
      info.load("name");
      info.datetimeFormat.load("shortDatePattern");
      await context.sync();
      culture = info.name;
      dateFormat = info.datetimeFormat.shortDatePattern;
    });
  } catch (e) { /* older runtimes: keep the defaults */ }
  const runtime = Office.context.requirements.isSetSupported("CustomFunctionsRuntime", "1.4")
    ? "1.4" : "1.3";
  const response = await fetch(ROLECELL_BASE + "/xlwings/custom-functions-call", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      func_name: funcName, args: values,
      caller_address: invocation && invocation.address ? invocation.address : null,
      version: ROLECELL_XLWINGS_VERSION, client: "Office.js", runtime: runtime,
      culture_info_name: culture, date_format: dateFormat,
    }),
  });
  if (!response.ok) {
    return [["rolecell: server error " + response.status + ": " + (await response.text())]];
  }
  return (await response.json()).result;
}
