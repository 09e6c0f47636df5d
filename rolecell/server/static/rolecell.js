// rolecell's ribbon buttons and task pane: send the workbook to xlwings Server's
// /xlwings/custom-scripts-call/{name} and apply the actions it returns.
const ROLECELL_ACTIONS = { /*{{actions}}*/ };
const ROLECELL_VERSION = "{{version}}";
const ROLECELL_ROOT = (document.currentScript && document.currentScript.src)
  ? new URL(document.currentScript.src).origin : "";

function rolecellStatus(text) {
  const el = document.getElementById("status");
  if (el) { el.textContent = text; }
}

async function rolecellBook(context) {
  const workbook = context.workbook;
  workbook.load("name");
  const active = workbook.worksheets.getActiveWorksheet();
  active.load("position");
  const sheets = workbook.worksheets;
  sheets.load("items/name");
  const names = workbook.names;
  names.load("items/name,items/type,items/formula");
  await context.sync();
  const used = sheets.items.map((s) => {
    const r = s.getUsedRangeOrNullObject(true);
    r.load("values,numberFormatCategories,address,isNullObject");
    return r;
  });
  await context.sync();
  const payload = {
    client: "Office.js", version: ROLECELL_VERSION,
    book: { name: workbook.name, active_sheet_index: active.position, selection: null },
    names: [], sheets: [],
  };
  sheets.items.forEach((sheet, i) => {
    const r = used[i];
    let values = [[]];
    let address = null;
    if (!r.isNullObject) {
      address = r.address.split("!").pop();
      values = r.values.map((row, y) => row.map((v, x) => {
        const kind = String(r.numberFormatCategories[y][x]);
        if ((kind === "Date" || kind === "Time") && typeof v === "number") {
          return new Date(Math.round((v - 25569) * 86400 * 1000)).toISOString();
        }
        return v;
      }));
    }
    payload.sheets.push({ name: sheet.name, values: values, used_range_address: address,
      pictures: [], tables: [], charts: [], shapes: [], notes: [], pivot_tables: [],
      visibility: "Visible", show_gridlines: true, print_area: null });
  });
  names.items.filter((n) => n.type === "Range").forEach((n) => {
    const ref = String(n.formula).replace(/^=/, "");
    const sheetName = ref.includes("!") ? ref.split("!")[0].replace(/^'|'$/g, "") : null;
    payload.names.push({ name: n.name, address: ref.split("!").pop(),
      sheet_index: payload.sheets.findIndex((s) => s.name === sheetName),
      scope_sheet_name: null, scope_sheet_index: null, book_scope: true });
  });
  return payload;
}

function rolecellRange(context, a) {
  const sheet = context.workbook.worksheets.getItemAt(a.sheet_position);
  return sheet.getRangeByIndexes(a.start_row, a.start_column, a.row_count, a.column_count);
}

const ROLECELL_APPLY = {
  setValues: (c, a) => { rolecellRange(c, a).values = a.values; },
  setFormula: (c, a) => { rolecellRange(c, a).formulas = a.values; },
  setNumberFormat: (c, a) => {
    const r = rolecellRange(c, a);
    r.numberFormat = Array.from({ length: a.row_count },
      () => Array(a.column_count).fill(a.args[0]));
  },
  setFontProperty: (c, a) => { rolecellRange(c, a).format.font[a.args[0]] = a.args[1]; },
  setRangeColor: (c, a) => { rolecellRange(c, a).format.fill.color = a.args[0]; },
  setColumnWidth: (c, a) => { rolecellRange(c, a).format.columnWidth = a.args[0] * 5.6; },
  setWrapText: (c, a) => { rolecellRange(c, a).format.wrapText = a.args[0]; },
  setHorizontalAlignment: (c, a) => {
    rolecellRange(c, a).format.horizontalAlignment = String(a.args[0]).replace(/^./,
      (ch) => ch.toUpperCase());
  },
  setVerticalAlignment: (c, a) => {
    rolecellRange(c, a).format.verticalAlignment = String(a.args[0]).replace(/^./,
      (ch) => ch.toUpperCase());
  },
  addSheet: (c, a) => {
    const sheet = c.workbook.worksheets.add(a.args[1]);
    sheet.position = a.args[0];
  },
  activateSheet: (c, a) => { c.workbook.worksheets.getItemAt(a.args[0]).activate(); },
  sheetClear: (c, a) => {
    c.workbook.worksheets.getItemAt(a.sheet_position).getRange().clear();
  },
  namesAdd: (c, a) => { c.workbook.names.add(a.args[0], a.args[1]); },
  nameDelete: (c, a) => { c.workbook.names.getItem(a.args[0]).delete(); },
  alert: (c, a) => { rolecellStatus(a.args[0]); },
};

async function rolecellRun(scriptName) {
  rolecellStatus("running " + scriptName + " ...");
  try {
    await Excel.run(async (context) => {
      const payload = await rolecellBook(context);
      const response = await fetch(ROLECELL_ROOT + "/xlwings/custom-scripts-call/" + scriptName,
        { method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify(payload) });
      if (!response.ok) { throw new Error(await response.text()); }
      const data = await response.json();
      for (const action of data.actions) {
        const apply = ROLECELL_APPLY[action.func];
        if (apply) {
          apply(context, action);
          if (/sheet|name/i.test(action.func)) { await context.sync(); }
        } else {
          console.warn("rolecell: action not applied in this client:", action.func);
        }
      }
      await context.sync();
      if (!data.actions.some((a) => a.func === "alert")) { rolecellStatus("done."); }
    });
  } catch (error) {
    rolecellStatus("rolecell: " + (error && error.message ? error.message : error));
  }
}

Office.onReady(() => {
  for (const [action, scriptName] of Object.entries(ROLECELL_ACTIONS)) {
    const handler = async (event) => {
      await rolecellRun(scriptName);
      if (event && event.completed) { event.completed(); }
    };
    if (Office.actions) { Office.actions.associate(action, handler); }
    const button = document.getElementById(scriptName);
    if (button) { button.onclick = () => handler(null); }
  }
});
