// reportgen studio editor: collects the form, previews as you type, saves with Ctrl+S.
// Plain JavaScript, no framework, nothing loaded from elsewhere.
(function () {
  "use strict";
  const editor = document.querySelector(".editor");
  if (!editor) return;
  const name = editor.dataset.name;
  let version = editor.dataset.version;
  let dirty = false;
  let removed = null;  // the last deleted item, for 撤销
  const status = document.getElementById("status");
  const frame = document.getElementById("preview");

  // the status line says one thing at a time; a finished preview clears only what a
  // preview said (an error), never a save's result
  function say(text, bad, source) {
    status.textContent = text;
    status.className = bad ? "bad" : "";
    status.dataset.source = source || "";
  }

  function collect() {
    const form = { association: {} };
    document.querySelectorAll("[data-field]").forEach(function (input) {
      const key = input.dataset.field;
      const value = input.type === "number" ? Number(input.value) : input.value;
      if (key.indexOf("association.") === 0) form.association[key.slice(12)] = value;
      else form[key] = value;
    });
    form.lists = [];
    document.querySelectorAll("fieldset.list").forEach(function (set) {
      const entry = { index: Number(set.dataset.index), items: [] };
      set.querySelectorAll("[data-list]").forEach(function (input) { entry[input.dataset.list] = input.value; });
      set.querySelectorAll("li.item").forEach(function (li) {
        const index = li.dataset.index === "" ? null : Number(li.dataset.index);
        entry.items.push({
          index: index,
          title: li.querySelector("[data-item=title]").value,
          paragraphs: li.querySelector("[data-item=paragraphs]").value.split(/\n\s*\n/)
        });
      });
      form.lists.push(entry);
    });
    return form;
  }

  function number() {
    document.querySelectorAll("ol.items").forEach(function (list) {
      list.querySelectorAll("li.item").forEach(function (li, i) {
        li.querySelector(".num").textContent = "第" + (i + 1) + "项";
      });
    });
  }

  function showErrors(errors) {
    document.querySelectorAll(".error").forEach(function (p) { p.textContent = ""; });
    Object.keys(errors || {}).forEach(function (path) {
      const message = errors[path];
      const item = path.match(/^lists\[(\d+)\]\.items\[(\d+)\]\.(\w+)/);
      let target = null;
      if (item) {
        const set = document.querySelectorAll("fieldset.list")[Number(item[1])];
        const li = set && set.querySelectorAll("li.item")[Number(item[2])];
        target = li && li.querySelector('[data-error-item="' + item[3] + '"]');
      } else {
        target = document.querySelector('[data-error="' + path + '"]');
      }
      (target || document.getElementById("general-error")).textContent = message;
    });
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    });
    return { status: response.status, data: await response.json() };
  }

  let timer = null;
  async function preview() {
    const answer = await post("/doc/" + encodeURIComponent(name) + "/check", collect());
    if (answer.status === 200) {
      showErrors({});
      frame.srcdoc = answer.data.html;
      if (status.dataset.source === "check") say(dirty ? "有未保存的修改" : "");
    } else {
      showErrors(answer.data.errors);
      say("有错误：请看红色提示，改正后才能保存和导出", true, "check");
    }
  }
  function changed() {
    dirty = true;
    say("有未保存的修改");
    clearTimeout(timer);
    timer = setTimeout(preview, 300);
  }

  async function save() {
    say("正在保存…");
    const answer = await post("/doc/" + encodeURIComponent(name) + "/save", { form: collect(), version: version });
    if (answer.status === 200) {
      version = answer.data.version;
      dirty = false;
      showErrors({});
      say("已保存 " + answer.data.saved);
    } else if (answer.status === 409) {
      say(answer.data.conflict, true);
      alert(answer.data.conflict);
    } else {
      showErrors(answer.data.errors);
      say("没有保存：有错误，请看红色提示", true);
    }
  }

  document.getElementById("form").addEventListener("input", changed);
  document.getElementById("save").addEventListener("click", save);
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") { event.preventDefault(); save(); }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
  document.querySelectorAll("[data-export]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (dirty) { event.preventDefault(); alert("请先保存：导出的是已保存的文件。"); }
    });
  });

  document.getElementById("form").addEventListener("click", function (event) {
    const button = event.target.closest("button[data-act]");
    if (!button) return;
    const act = button.dataset.act;
    if (act === "add") {
      const list = button.parentElement.querySelector("ol.items");
      const template = list.querySelector("li.item");
      const li = template.cloneNode(true);
      li.dataset.index = "";
      li.querySelectorAll("input, textarea").forEach(function (input) { input.value = ""; });
      li.querySelector(".figures span").textContent = "（无）";
      list.appendChild(li);
      li.querySelector("input").focus();
    } else {
      const li = button.closest("li.item");
      if (act === "up" && li.previousElementSibling) li.parentElement.insertBefore(li, li.previousElementSibling);
      if (act === "down" && li.nextElementSibling) li.parentElement.insertBefore(li.nextElementSibling, li);
      if (act === "delete") {
        if (li.parentElement.querySelectorAll("li.item").length === 1) { alert("每个列表至少要有一项。"); return; }
        removed = { li: li, parent: li.parentElement, next: li.nextElementSibling };
        li.remove();
        document.getElementById("undo").hidden = false;
      }
      button.focus();
    }
    number();
    changed();
  });
  document.getElementById("undo-button").addEventListener("click", function () {
    if (!removed) return;
    removed.parent.insertBefore(removed.li, removed.next);
    removed = null;
    document.getElementById("undo").hidden = true;
    number();
    changed();
  });

  number();
  preview();
})();
