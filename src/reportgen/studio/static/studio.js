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
  let pdfUrl = null;   // the PDF preview shown instead of the live one, while there is one
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
      const value = input.type === "number" ? (input.value === "" ? null : Number(input.value)) : input.value;
      if (key.indexOf("association.") === 0) form.association[key.slice(12)] = value;
      else form[key] = value;
    });
    const colors = {};
    document.querySelectorAll("[data-color]").forEach(function (input) { colors[input.dataset.color] = input.value; });
    if (Object.keys(colors).length) form.association.colors = colors;
    const voteFields = document.querySelectorAll("[data-vote]");
    if (voteFields.length) {
      form.vote = {};
      voteFields.forEach(function (input) {
        const key = input.dataset.vote;
        if (key === "rules") form.vote.rules = input.value.split("\n");
        else if (key === "per_day_limit") form.vote[key] = Number(input.value);
        else form.vote[key] = input.value;
      });
    }
    form.signoff = {};
    document.querySelectorAll("[data-signoff]").forEach(function (input) { form.signoff[input.dataset.signoff] = input.value; });
    const intro = document.querySelector("[data-intro]");
    if (intro) form.intro = intro.value.split(/\n\s*\n/);
    form.lists = [];
    form.article_lists = [];
    document.querySelectorAll("fieldset.list").forEach(function (set) {
      const nested = set.classList.contains("article-list");
      const entry = nested ? { article: Number(set.dataset.article), block: Number(set.dataset.block), items: [] }
                           : { index: Number(set.dataset.index), items: [] };
      set.querySelectorAll("[data-list]").forEach(function (input) { entry[input.dataset.list] = input.value; });
      set.querySelectorAll("li.item").forEach(function (li) {
        const index = li.dataset.index === "" ? null : Number(li.dataset.index);
        const images = [];
        li.querySelectorAll(".image").forEach(function (box) {
          images.push({ index: box.dataset.index === "" ? null : Number(box.dataset.index),
                        path: box.dataset.path, caption: box.querySelector("[data-image=caption]").value });
        });
        entry.items.push({
          index: index,
          number: li.querySelector("[data-item=number]").value.trim(),
          title: li.querySelector("[data-item=title]").value,
          paragraphs: li.querySelector("[data-item=paragraphs]").value.split(/\n\s*\n/),
          dates: li.querySelector("[data-item=dates]").value.split(/[,，、\s]+/),
          images: images
        });
      });
      (nested ? form.article_lists : form.lists).push(entry);
    });
    form.articles = [];
    document.querySelectorAll("fieldset.article").forEach(function (set) {
      const entry = { index: Number(set.dataset.index), body: [] };
      set.querySelectorAll("[data-article]").forEach(function (input) { entry[input.dataset.article] = input.value; });
      set.querySelectorAll(".block").forEach(function (block) {
        const field = block.querySelector("input, textarea");
        entry.body.push({ index: block.dataset.index === "" ? null : Number(block.dataset.index),
                          text: field ? field.value : "" });
      });
      form.articles.push(entry);
    });
    form.sections = [];
    document.querySelectorAll("fieldset.section").forEach(function (set) {
      const entry = { index: Number(set.dataset.index), points: [] };
      set.querySelectorAll("[data-section]").forEach(function (input) { entry[input.dataset.section] = input.value; });
      set.querySelectorAll(".point").forEach(function (point) {
        entry.points.push({ index: point.dataset.index === "" ? null : Number(point.dataset.index),
                            lead: point.querySelector("[data-point=lead]").value,
                            text: point.querySelector("[data-point=text]").value });
      });
      form.sections.push(entry);
    });
    return form;
  }

  function number() {
    document.querySelectorAll("ol.items").forEach(function (list) {
      list.querySelectorAll("li.item").forEach(function (li, i) {
        const pin = li.querySelector("[data-item=number]");
        const pinned = pin && pin.value.trim();
        li.querySelector(".num").textContent = pinned ? "第" + (i + 1) + "项（固定为 " + pinned + " 号）" : "第" + (i + 1) + "项";
      });
    });
  }

  let warnings = JSON.parse(document.getElementById("warnings-data").textContent || "[]");
  // validate's warnings: summarised at the top and beside their field (they do not stop a save)
  function showWarnings(list) {
    warnings = list || [];
    document.querySelectorAll("p.warning").forEach(function (p) { p.remove(); });
    const box = document.getElementById("warnings");
    box.hidden = warnings.length === 0;
    const ul = box.querySelector("ul");
    ul.textContent = "";
    warnings.forEach(function (w) {
      const li = document.createElement("li");
      li.textContent = w.message;
      ul.appendChild(li);
      const target = w.field && place(w.field);
      if (target) {
        const p = document.createElement("p");
        p.className = "warning" + (w.severity ? " " + w.severity : "");
        p.textContent = w.beside || "提示：" + w.message;
        target.insertAdjacentElement("afterend", p);
      }
    });
    box.querySelector("strong").textContent = "请检查 " + warnings.length + " 处：";
  }

  function place(path) {
      const item = path.match(/^lists\[(\d+)\]\.items\[(\d+)\]\.(\w+)/);
      const nested = path.match(/^articles\[(\d+)\]\.body\[(\d+)\]\.list\.items\[(\d+)\]\.(\w+)/);
      let target = null;
      if (nested) {
        const set = document.querySelector('fieldset.article-list[data-article="' + nested[1] + '"][data-block="' + nested[2] + '"]');
        const li = set && set.querySelectorAll("li.item")[Number(nested[3])];
        target = li && li.querySelector('[data-error-item="' + nested[4] + '"]');
      } else if (item) {
        const set = document.querySelectorAll("fieldset.list:not(.article-list)")[Number(item[1])];
        const li = set && set.querySelectorAll("li.item")[Number(item[2])];
        target = li && li.querySelector('[data-error-item="' + item[3] + '"]');
      } else {  // the field itself, or the nearest enclosing one: vote.rules[1] → vote.rules
        let at = path;
        while (at && !target) {
          target = document.querySelector('[data-error="' + at + '"]');
          at = at.replace(/(\[\d+\]|\.[^.\[]+)$/, "");
        }
      }
      return target;
  }

  function showErrors(errors) {
    document.querySelectorAll(".error").forEach(function (p) { p.textContent = ""; });
    Object.keys(errors || {}).forEach(function (path) {
      (place(path) || document.getElementById("general-error")).textContent = errors[path];
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
      showWarnings(answer.data.warnings);
      showFigures(answer.data.figures || {});
      if (pdfUrl) return;  // the PDF preview stays until the user goes back
      frame.setAttribute("sandbox", "allow-same-origin");
      frame.srcdoc = answer.data.html;
      if (status.dataset.source === "check") say(dirty ? "有未保存的修改" : "");
    } else {
      showErrors(answer.data.errors);
      say("有错误：请看红色提示，改正后才能保存和导出", true, "check");
    }
  }
  // the figures that will be bold, under each item, as the text is typed
  function showFigures(figures) {
    let plainList = 0;
    document.querySelectorAll("fieldset.list").forEach(function (set) {
      const nested = set.classList.contains("article-list");
      const key = nested ? "a" + set.dataset.article + "b" + set.dataset.block : String(plainList++);
      set.querySelectorAll("li.item").forEach(function (li, j) {
        const span = li.querySelector(".figures span");
        if (span) span.textContent = figures[key + "." + j] || "（无）";
      });
    });
  }

  // the preview follows the item being edited: its title found in the preview, whatever the layout
  let following = null;
  function squash(text) { return (text || "").replace(/[\s\u2005\u2060\u200b]+/g, ""); }
  function follow() {
    const doc = frame.contentDocument;
    if (!following || pdfUrl || !doc || !doc.body) return;
    const title = squash(following.querySelector("[data-item=title]").value);
    if (title.length < 2) return;
    let best = null;
    doc.body.querySelectorAll("h1, h2, h3, h4, p, li, td, div, span").forEach(function (el) {
      const text = squash(el.textContent);
      if (text.indexOf(title) >= 0 && (!best || text.length < squash(best.textContent).length)) best = el;
    });
    if (best) {  // the preview's own window only: the form stays where the user is
      const box = best.closest("article, li, section, div") || best;
      const view = doc.defaultView;
      view.scrollTo(0, Math.max(0, box.getBoundingClientRect().top + view.scrollY - 8));
    }
  }
  document.getElementById("form").addEventListener("focusin", function (event) {
    if (!event.target.matches("input, textarea")) return;
    const li = event.target.closest("li.item");
    if (li && li !== following) { following = li; follow(); }
  });
  frame.addEventListener("load", follow);

  function changed() {
    number();
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
  // a new year: offer to move the years of the titles, headings and dates with it
  const yearInput = document.querySelector('[data-field="year"]');
  yearInput.addEventListener("change", function () {
    const old = yearInput.dataset.was, now = yearInput.value;
    if (!/^\d{4}$/.test(old) || !/^\d{4}$/.test(now) || old === now) return;
    const pattern = new RegExp("(^|[^0-9])" + old + "(?=[^0-9]|$)", "g");
    const fields = Array.from(document.querySelectorAll(
      '[data-field="title"], [data-field="subtitle"], [data-list="heading"], [data-item="dates"]'))
      .filter(function (input) { pattern.lastIndex = 0; return pattern.test(input.value); });
    yearInput.dataset.was = now;
    if (!fields.length) return;
    if (!confirm("年份改为 " + now + " 年。把标题、列表标题和日期里的 " + old + " 也都改为 " + now + " 吗？（共 " +
                 fields.length + " 处）")) return;
    fields.forEach(function (input) { input.value = input.value.replace(pattern, "$1" + now); });
    changed();
  });
  document.getElementById("save").addEventListener("click", save);
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") { event.preventDefault(); save(); }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
  const pushButton = document.getElementById("push-wechat");
  if (pushButton) pushButton.addEventListener("click", async function () {
    if (dirty) { alert("有未保存的修改：推送的是已保存的文件，请先保存。"); return; }
    if (!confirm("把这份文件的公众号文章推送到公众号的草稿箱？（不会自动发表）")) return;
    pushButton.disabled = true;
    status.textContent = "正在推送到草稿箱…";
    try {
      const response = await fetch("/doc/" + encodeURIComponent(name) + "/publish/wechat", {
        method: "POST", headers: { "Accept": "application/json" } });
      const answer = await response.json();
      status.textContent = response.ok ? answer.message : "";
      if (!response.ok) alert("推送没有完成：" + (answer.error || response.status));
    } catch (e) {
      status.textContent = "";
      alert("推送没有完成：连不上工作室");
    } finally {
      pushButton.disabled = false;
    }
  });
  document.querySelectorAll("[data-export]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (dirty) {
        event.preventDefault();
        if (confirm("有未保存的修改：导出的是已保存的文件。现在保存吗？")) save();
        return;
      }
      // notes (提示) are for the 初审 to weigh; errors and warnings ask before an export
      const serious = warnings.filter(function (w) { return w.severity !== "note"; });
      if (serious.length && !confirm("这份文件还有 " + serious.length + " 处需要检查：\n" +
          serious.map(function (w) { return "· " + w.message; }).join("\n") + "\n\n仍要导出吗？")) {
        event.preventDefault();
      }
    });
  });

  document.getElementById("form").addEventListener("click", function (event) {
    const button = event.target.closest("button[data-act]");
    if (!button) return;
    const act = button.dataset.act;
    if (act === "remove-image") { button.closest(".image").remove(); changed(); return; }
    if (act === "renumber") {
      button.closest("fieldset.list").querySelectorAll("[data-item=number]").forEach(function (pin) { pin.value = ""; });
      number(); changed(); return;
    }
    if (act === "add-paragraph") {
      const block = document.createElement("label");
      block.className = "block";
      block.dataset.index = "";
      block.dataset.kind = "p";
      block.textContent = "段落 ";
      const area = document.createElement("textarea");
      area.rows = 3;
      block.appendChild(area);
      button.parentElement.querySelector(".blocks").appendChild(block);
      area.focus();
      return;
    }
    if (act === "add-point") {
      const points = button.parentElement.querySelector(".points");
      const point = points.querySelector(".point").cloneNode(true);
      point.dataset.index = "";
      point.querySelectorAll("input, textarea").forEach(function (input) { input.value = ""; });
      points.appendChild(point);
      point.querySelector("input").focus();
      return;
    }
    if (act === "no-logo") {
      document.querySelector('[data-field="association.logo"]').value = "";
      document.querySelector("[data-logo-name]").textContent = "（无）";
      changed();
      return;
    }
    if (act === "add") {
      const list = button.parentElement.querySelector("ol.items");
      const template = list.querySelector("li.item");
      const li = template.cloneNode(true);
      li.dataset.index = "";
      li.querySelectorAll("input, textarea").forEach(function (input) { input.value = ""; });
      li.querySelectorAll(".image").forEach(function (box) { box.remove(); });
      li.querySelector(".figures span").textContent = "（无）";
      list.appendChild(li);
      li.querySelector("[data-item=title]").focus();
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

  // pictures: uploaded into the folder's images/, then named in the data
  document.getElementById("form").addEventListener("change", async function (event) {
    const input = event.target.closest("input[data-upload]");
    if (!input || !input.files.length) return;
    const body = new FormData();
    body.append("file", input.files[0]);
    say("正在上传图片…");
    const response = await fetch("/images", { method: "POST", headers: { "Accept": "application/json" }, body: body });
    const answer = await response.json();
    input.value = "";
    if (!response.ok) { say(answer.error || "上传失败", true); return; }
    if (input.dataset.upload === "logo") {
      document.querySelector('[data-field="association.logo"]').value = answer.path;
      const shown = document.querySelector("[data-logo-name]");
      const logo = document.createElement("img");
      logo.className = "logo-thumb";
      logo.src = "/files/" + answer.path;
      logo.alt = "当前的标志";
      shown.textContent = "";
      shown.appendChild(logo);
    } else {
      const box = document.createElement("div");
      box.className = "image";
      box.dataset.index = "";
      box.dataset.path = answer.path;
      const img = document.createElement("img");
      img.src = "/files/" + answer.path;
      img.alt = "";
      const label = document.createElement("label");
      label.textContent = "图注 ";
      const caption = document.createElement("input");
      caption.dataset.image = "caption";
      label.appendChild(caption);
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "light";
      remove.dataset.act = "remove-image";
      remove.textContent = "去掉";
      box.append(img, label, remove);
      input.closest(".images").insertBefore(box, input.closest("label"));
      caption.focus();
    }
    changed();
  });

  // 复制公众号文章: the saved article with its pictures inside, as rich text for the 公众号 editor
  document.getElementById("copy-wechat").addEventListener("click", async function () {
    if (dirty) { alert("请先保存：复制的是已保存的文件。"); return; }
    say("正在生成公众号文章…");
    const response = await fetch("/doc/" + encodeURIComponent(name) + "/export/wechat");
    if (!response.ok) { say("生成失败", true); return; }
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const html = page.body.innerHTML;
    const text = page.body.innerText || page.body.textContent;
    try {
      await navigator.clipboard.write([new ClipboardItem({
        "text/html": new Blob([html], { type: "text/html" }),
        "text/plain": new Blob([text], { type: "text/plain" })
      })]);
    } catch (error) {  // no async clipboard: copy a selection instead
      const holder = document.createElement("div");
      holder.innerHTML = html;
      holder.style.position = "fixed";
      holder.style.left = "-10000px";
      document.body.appendChild(holder);
      const range = document.createRange();
      range.selectNodeContents(holder);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      document.execCommand("copy");
      selection.removeAllRanges();
      holder.remove();
    }
    say("已复制公众号文章：在公众号编辑器里粘贴即可");
  });

  // PDF 预览: the real WeasyPrint output of the form as it stands, in place of the live preview
  const pdfButton = document.getElementById("pdf-preview");
  pdfButton.addEventListener("click", async function () {
    if (pdfUrl) {  // back to the live preview
      URL.revokeObjectURL(pdfUrl);
      pdfUrl = null;
      frame.removeAttribute("src");
      pdfButton.setAttribute("aria-pressed", "false");
      pdfButton.textContent = "PDF 预览";
      preview();
      return;
    }
    say("正在排版 PDF…", false, "pdf");
    const response = await fetch("/doc/" + encodeURIComponent(name) + "/pdf-preview", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(collect())
    });
    if (!response.ok) {
      showErrors((await response.json()).errors);
      say("有错误：请看红色提示", true, "check");
      return;
    }
    pdfUrl = URL.createObjectURL(await response.blob());
    frame.removeAttribute("srcdoc");
    frame.removeAttribute("sandbox");  // the browser's own PDF viewer
    frame.src = pdfUrl;
    pdfButton.setAttribute("aria-pressed", "true");
    pdfButton.textContent = "返回实时预览";
    say("PDF 预览（修改后再点一次更新）", false, "pdf");
  });

  number();
  preview();
})();
