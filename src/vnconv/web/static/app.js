// vnconv web: plain JavaScript, no build step, nothing fetched from elsewhere.
"use strict";

const TEXT = {
  vi: {
    tagline: "Chuyển văn bản TCVN3, VNI, VIQR… sang Unicode, ngay trên máy này.",
    drop: "Kéo thả tệp hoặc thư mục vào đây", kinds: "Tệp được nhận:", choose: "Chọn tệp…",
    chooseDir: "Chọn thư mục…", private: "Không có gì rời khỏi máy tính này; các tệp tải lên bị xoá khi tắt vnconv.",
    pasteLabel: "Hoặc dán văn bản vào đây:", convertText: "Chuyển văn bản", zip: "Tải tất cả (.zip)",
    before: "Trước", after: "Sau", download: "Tải về", lang: "English", uploading: "Đang tải lên…",
    progress: (d, t) => `Đã xử lý ${d}/${t} tệp`, charsets: "Bảng mã", fonts: "Phông", renamed: "Đổi phông",
    changed: "Đoạn thay đổi", none: "Không có gì cần thay đổi.", more: (n) => `… và ${n} đoạn nữa trong tệp tải về.`,
    failed: "Lỗi", skipped: (n) => `Bỏ qua ${n} tệp không được hỗ trợ.`, pasted: "Văn bản đã dán", copy: "Chép kết quả",
  },
  en: {
    tagline: "Convert TCVN3, VNI, VIQR… text to Unicode, right on this computer.",
    drop: "Drop files or folders here", kinds: "Accepted files:", choose: "Choose files…",
    chooseDir: "Choose a folder…", private: "Nothing leaves this computer; uploads are deleted when vnconv stops.",
    pasteLabel: "Or paste text here:", convertText: "Convert text", zip: "Download all (.zip)",
    before: "Before", after: "After", download: "Download", lang: "Tiếng Việt", uploading: "Uploading…",
    progress: (d, t) => `${d} of ${t} files done`, charsets: "Charsets", fonts: "Fonts", renamed: "Fonts renamed",
    changed: "Changed units", none: "Nothing to change.", more: (n) => `… and ${n} more in the download.`,
    failed: "Error", skipped: (n) => `Skipped ${n} unsupported files.`, pasted: "Pasted text", copy: "Copy result",
  },
};
let lang = localStorage.getItem("vnconv-lang") || "vi";
let suffixes = [".txt", ".csv", ".docx", ".xlsx", ".rtf"];
let limit = 200 * 1024 * 1024;
const $ = (id) => document.getElementById(id);
const t = (key, ...args) => { const v = TEXT[lang][key]; return typeof v === "function" ? v(...args) : v; };

function applyLanguage() {
  document.documentElement.lang = lang;
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  $("lang").textContent = t("lang");
}

function showMessage(text) {
  $("message").textContent = text || "";
  $("message").hidden = !text;
}

function segments(parent, list) {
  for (const seg of list) {
    if (seg.changed) {
      const mark = document.createElement("mark");
      mark.textContent = seg.text;
      mark.title = seg.reason;
      parent.appendChild(mark);
    } else {
      parent.appendChild(document.createTextNode(seg.text));
    }
  }
}

function facts(job) {
  const parts = [];
  const list = (obj) => Object.entries(obj || {}).map(([k, v]) => `${k} (${v})`).join(", ");
  if (job.charsets && Object.keys(job.charsets).length) parts.push(`${t("charsets")}: ${list(job.charsets)}`);
  if (job.fonts && Object.keys(job.fonts).length) parts.push(`${t("fonts")}: ${list(job.fonts)}`);
  const renamed = Object.entries(job.renamed_fonts || {}).map(([a, b]) => `${a} → ${b}`).join(", ");
  if (renamed) parts.push(`${t("renamed")}: ${renamed}`);
  parts.push(`${t("changed")}: ${job.changed || 0}`);
  return parts.join(" · ");
}

function card(job) {
  const node = $("card").content.firstElementChild.cloneNode(true);
  node.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  node.dataset.job = job.id || "";
  node.querySelector(".name").textContent = job.name;
  if (job.status === "failed") {
    const err = node.querySelector(".error");
    err.textContent = `${t("failed")}: ${job.error}`;
    err.hidden = false;
    node.querySelector(".preview").remove();
    return node;
  }
  node.querySelector(".facts").textContent = facts(job);
  const before = node.querySelector(".before"), after = node.querySelector(".after");
  for (const row of job.rows || []) {
    const l = document.createElement("div"), r = document.createElement("div");
    segments(l, row.before);
    segments(r, row.after);
    before.appendChild(l);
    after.appendChild(r);
  }
  const rest = (job.changed || 0) - (job.rows || []).length;
  const note = !job.changed ? t("none") : rest > 0 ? t("more", rest) : "";
  if (note) {
    const p = document.createElement("p");
    p.className = "none";
    p.textContent = note;
    node.querySelector(".preview").after(p);
  }
  if (job.download) {
    const link = node.querySelector(".download");
    link.href = `/api/jobs/${job.id}/download`;
    link.hidden = false;
  }
  return node;
}

function accepted(file) {
  const name = file.name.toLowerCase();
  return suffixes.some((s) => name.endsWith(s));
}

async function poll(batch) {
  const shown = new Set();
  for (;;) {
    const reply = await fetch(`/api/batches/${batch}`);
    const state = await reply.json();
    $("progress").style.width = `${state.total ? (100 * state.finished) / state.total : 100}%`;
    $("progressText").textContent = t("progress", state.finished, state.total);
    for (const job of state.jobs) {
      if ((job.status === "done" || job.status === "failed") && !shown.has(job.id)) {
        shown.add(job.id);
        const detail = await (await fetch(`/api/jobs/${job.id}`)).json();
        $("results").appendChild(card(detail));
      }
    }
    if (state.finished >= state.total) break;
    await new Promise((ok) => setTimeout(ok, 400));
  }
  const zip = $("zip");
  zip.href = `/api/batches/${batch}/zip`;
  zip.hidden = false;
}

function upload(entries) {
  const files = entries.filter((e) => accepted(e.file));
  const skipped = entries.length - files.length;
  showMessage(skipped ? t("skipped", skipped) : "");
  if (!files.length) return;
  const size = files.reduce((n, e) => n + e.file.size, 0);
  if (size > limit) {
    showMessage(lang === "vi" ? `Tổng dung lượng vượt giới hạn ${limit / 1048576} MB.`
      : `The files are larger than the limit of ${limit / 1048576} MB.`);
    return;
  }
  const form = new FormData();
  for (const e of files) form.append("files", e.file, e.path);
  $("batch").hidden = false;
  $("zip").hidden = true;
  $("progress").style.width = "0";
  $("progressText").textContent = t("uploading");
  const xhr = new XMLHttpRequest();
  xhr.open("POST", "/api/batches");
  xhr.upload.onprogress = (ev) => {
    if (ev.lengthComputable) $("progressText").textContent = `${t("uploading")} ${Math.round((100 * ev.loaded) / ev.total)}%`;
  };
  xhr.onload = () => {
    let body = {};
    try { body = JSON.parse(xhr.responseText); } catch (err) { body = { error: xhr.statusText }; }
    if (xhr.status !== 202) { showMessage(body.error || xhr.statusText); return; }
    poll(body.batch);
  };
  xhr.onerror = () => showMessage("upload failed");
  xhr.send(form);
}

function walk(entry, prefix, out) {
  return new Promise((done) => {
    if (entry.isFile) {
      entry.file((file) => { out.push({ file, path: prefix + file.name }); done(); }, () => done());
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      const all = [];
      const more = () => reader.readEntries(async (batch) => {
        if (!batch.length) {
          for (const child of all) await walk(child, `${prefix}${entry.name}/`, out);
          done();
        } else { all.push(...batch); more(); }
      }, () => done());
      more();
    } else done();
  });
}

async function dropped(event) {
  event.preventDefault();
  $("drop").classList.remove("over");
  const items = [...(event.dataTransfer.items || [])].map((i) => i.webkitGetAsEntry && i.webkitGetAsEntry());
  const out = [];
  if (items.length && items.every(Boolean)) {
    for (const entry of items) await walk(entry, "", out);
  } else {
    for (const file of event.dataTransfer.files) out.push({ file, path: file.name });
  }
  upload(out);
}

function chosen(input) {
  upload([...input.files].map((file) => ({ file, path: file.webkitRelativePath || file.name })));
  input.value = "";
}

async function convertText() {
  const text = $("text").value;
  if (!text.trim()) return;
  const reply = await fetch("/api/text", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text }),
  });
  const body = await reply.json();
  if (!reply.ok) { showMessage(body.error); return; }
  showMessage("");
  const node = card({ name: t("pasted"), status: "done", charsets: body.charsets, changed: body.changed, rows: body.rows });
  const copy = document.createElement("button");
  copy.type = "button";
  copy.textContent = t("copy");
  copy.onclick = () => { $("text").value = body.text; };
  node.appendChild(copy);
  $("results").prepend(node);
}

window.addEventListener("DOMContentLoaded", async () => {
  applyLanguage();
  $("lang").onclick = () => { lang = lang === "vi" ? "en" : "vi"; localStorage.setItem("vnconv-lang", lang); applyLanguage(); };
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", dropped);
  $("files").addEventListener("change", (e) => chosen(e.target));
  $("folder").addEventListener("change", (e) => chosen(e.target));
  $("convertText").onclick = convertText;
  try {
    const info = await (await fetch("/api/info")).json();
    suffixes = info.suffixes;
    limit = info.limit;
    $("suffixes").textContent = suffixes.join(" ");
    $("files").accept = suffixes.join(",");
  } catch (err) { /* the defaults stay */ }
});
