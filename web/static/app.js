// khoso pages work without this script; it only enhances them: it hides
// the page picker of the copy form while a full copy (sao y) is chosen, and
// checks the metadata form's required fields and dates (dd/mm/yyyy) before
// it is sent, with the message beside the field. The server checks again.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  copyForm();
  metadataForm();
});

function copyForm() {
  var form = document.getElementById("copy-form");
  var picker = document.getElementById("pages-picker");
  if (!form || !picker) {
    return;
  }
  function update() {
    var extract = document.getElementById("form-trich");
    picker.hidden = !(extract && extract.checked);
  }
  form.addEventListener("change", update);
  update();
}

// validDate reports whether s is a calendar date written dd/mm/yyyy (or
// d/m/yyyy), so 31/02 is refused.
function validDate(s) {
  var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  if (!m) {
    return false;
  }
  var d = +m[1], mo = +m[2], y = +m[3];
  var t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function metadataForm() {
  var form = document.getElementById("meta-form");
  if (!form) {
    return;
  }
  form.noValidate = true; // this script shows the messages instead
  // show puts msg beside input, or clears what this script put there.
  function show(input, msg) {
    var out = document.getElementById("e-" + input.name);
    if (msg) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", "e-" + input.name);
      if (out) {
        out.textContent = msg;
        out.hidden = false;
        out.dataset.client = "1";
      }
    } else if (out && out.dataset.client) {
      input.removeAttribute("aria-invalid");
      out.hidden = true;
      delete out.dataset.client;
    }
  }
  function check(input) {
    var v = input.value.trim();
    var msg = "";
    if (input.required && v === "") {
      msg = form.dataset.msgRequired;
    } else if (input.dataset.date && v !== "" && !validDate(v)) {
      msg = form.dataset.msgDate;
    }
    show(input, msg);
    return msg === "";
  }
  var fields = form.querySelectorAll("input[name], textarea[name]");
  // Messages appear when the form is sent, and go once the field is
  // fixed; nothing moves under the pointer while the clerk clicks.
  fields.forEach(function (input) {
    input.addEventListener("input", function () {
      var out = document.getElementById("e-" + input.name);
      if (out && out.dataset.client && check(input)) {
        show(input, "");
      }
    });
  });
  form.addEventListener("submit", function (ev) {
    var first = null;
    fields.forEach(function (input) {
      if (!check(input) && !first) {
        first = input;
      }
    });
    if (first) {
      ev.preventDefault();
      first.focus();
    }
  });
}

// The rest enhances the upload and batch screens; each part does nothing
// on a page without its elements.

// lang is the page's language, "vi" or "en".
function lang() {
  return document.documentElement.lang === "en" ? "en" : "vi";
}

// sizeText says n bytes as the server does: "8 GiB", "1,5 MiB" in
// Vietnamese, "1.5 MiB" in English.
function sizeText(n) {
  var units = ["B", "KiB", "MiB", "GiB", "TiB"];
  var u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  var s = n.toFixed(1).replace(/\.0$/, "");
  if (lang() === "vi") {
    s = s.replace(".", ",");
  }
  return s + " " + units[u];
}

// inLanguage is the page language's half of a message the API gives in
// both, "Vietnamese / English", split at its middle separator (as the
// server's pages do).
function inLanguage(s) {
  var parts = s.split(" / ");
  if (parts.length % 2 !== 0) {
    return s;
  }
  var half = parts.length / 2;
  return (lang() === "en" ? parts.slice(half) : parts.slice(0, half)).join(" / ");
}

// walkEntry resolves to the files under a dropped entry, each with its path
// from the drop ("lo-1/p1/trang-1.jpg"), as a folder input names them.
function walkEntry(entry) {
  if (entry.isFile) {
    return new Promise(function (resolve, reject) {
      entry.file(function (file) {
        resolve([{ file: file, path: entry.fullPath.replace(/^\//, "") }]);
      }, reject);
    });
  }
  var reader = entry.createReader();
  var found = [];
  return new Promise(function (resolve, reject) {
    (function more() {
      // readEntries answers a few at a time, then an empty list.
      reader.readEntries(function (entries) {
        if (entries.length === 0) {
          Promise.all(found).then(function (lists) {
            resolve([].concat.apply([], lists));
          }, reject);
          return;
        }
        entries.forEach(function (e) {
          found.push(walkEntry(e));
        });
        more();
      }, reject);
    })();
  });
}

document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("upload-form");
  if (!form) {
    return;
  }
  var max = Number(form.dataset.max);
  var folder = document.getElementById("folder");
  var files = document.getElementById("files");
  var manifest = document.getElementById("manifest");
  var drop = document.getElementById("drop");
  var picked = document.getElementById("picked");
  var errorBox = document.getElementById("upload-error");
  var progress = document.getElementById("progress");
  var bar = document.getElementById("upload-progress");
  var barText = document.getElementById("progress-text");
  var send = document.getElementById("send");
  var dropped = [];

  // chosen lists what will be sent: dropped files, the folder's, the
  // files', each with its part name and file name.
  function chosen() {
    var out = dropped.slice();
    Array.prototype.forEach.call(folder.files, function (f) {
      out.push({ field: "folder", file: f, name: f.webkitRelativePath || f.name });
    });
    Array.prototype.forEach.call(files.files, function (f) {
      out.push({ field: "file", file: f, name: f.name });
    });
    return out;
  }
  function showError(msg) {
    errorBox.textContent = msg;
    errorBox.hidden = !msg;
  }
  function update() {
    var list = chosen();
    var size = list.reduce(function (n, it) { return n + it.file.size; }, 0);
    if (manifest.files.length) {
      size += manifest.files[0].size;
    }
    picked.textContent = list.length ? list.length + " " + form.dataset.picked + " " + sizeText(size) : "";
    showError(size > max ? form.dataset.tooLarge : "");
    return size;
  }
  [folder, files, manifest].forEach(function (input) {
    input.addEventListener("change", update);
  });

  drop.hidden = false;
  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (e) {
      e.preventDefault();
      drop.classList.add("over");
    });
  });
  drop.addEventListener("dragleave", function () {
    drop.classList.remove("over");
  });
  drop.addEventListener("drop", function (e) {
    e.preventDefault();
    drop.classList.remove("over");
    var entries = [];
    Array.prototype.forEach.call(e.dataTransfer.items, function (item) {
      var entry = item.webkitGetAsEntry && item.webkitGetAsEntry();
      if (entry) {
        entries.push(entry);
      }
    });
    // One folder dropped is sent as a folder input sends it; anything
    // else by its path from the drop.
    var field = entries.length === 1 && entries[0].isDirectory ? "folder" : "file";
    Promise.all(entries.map(walkEntry)).then(function (lists) {
      dropped = [].concat.apply([], lists).map(function (f) {
        return { field: field, file: f.file, name: f.path };
      });
      document.getElementById("dropped").textContent = entries.map(function (en) { return en.name; }).join(", ");
      update();
    });
  });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (update() > max) {
      return;
    }
    var data = new FormData();
    if (manifest.files.length) {
      data.append("manifest", manifest.files[0], manifest.files[0].name);
    }
    if (form.elements.agency) {
      data.append("agency", form.elements.agency.value);
    }
    chosen().forEach(function (it) {
      data.append(it.field, it.file, it.name);
    });
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/v1/batches");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (ev) {
      if (ev.lengthComputable) {
        bar.max = ev.total;
        bar.value = ev.loaded;
        barText.textContent = sizeText(ev.loaded) + " / " + sizeText(ev.total) + " (" + Math.round(100 * ev.loaded / ev.total) + "%)";
      }
    });
    function failed(msg) {
      showError(msg);
      send.disabled = false;
      progress.hidden = true;
    }
    xhr.addEventListener("load", function () {
      var body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch (err) {
        body = null;
      }
      if (xhr.status === 202 && body && body.batch) {
        barText.textContent = form.dataset.sent;
        location.assign("/batches/" + encodeURIComponent(body.batch.id));
        return;
      }
      failed(body && body.error ? inLanguage(body.error) : form.dataset.failed);
    });
    xhr.addEventListener("error", function () {
      failed(form.dataset.failed);
    });
    showError("");
    send.disabled = true;
    progress.hidden = false;
    xhr.send(data);
  });
});

// The batch screen follows its documents without reloading: it asks the
// API for their states every 1.5 s until every one is final, updating the
// rows in place; a row that became final is taken from the page again, for
// its reason and notes in the page's language.
document.addEventListener("DOMContentLoaded", function () {
  var table = document.getElementById("docs");
  if (!table || table.dataset.final) {
    return;
  }
  var id = table.dataset.batch;
  var labels = JSON.parse(table.dataset.labels);
  var live = document.getElementById("live");
  var refresh = document.getElementById("refresh-p");
  var stages = ["received", "normalised", "assembled", "signed", "stored", "available"];
  if (refresh) {
    refresh.hidden = true;
  }
  function final(status) {
    return status === "available" || status === "failed" || status === "needs_metadata";
  }
  function setState(tr, status) {
    var step = stages.indexOf(status) + 1;
    tr.dataset.status = status;
    tr.querySelector(".steps").classList.toggle("failed", status === "failed");
    tr.querySelector(".steps").classList.toggle("waiting", status === "needs_metadata");
    Array.prototype.forEach.call(tr.querySelectorAll(".step"), function (s, i) {
      s.classList.toggle("done", i < step);
    });
    tr.querySelector(".status-text").textContent = labels[status] || status;
    tr.querySelector(".step-n").textContent = step ? "(" + step + "/" + stages.length + ")" : "";
  }
  function setCounts(counts) {
    var list = document.getElementById("counts");
    var words = [];
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    stages.concat(["failed", "needs_metadata"]).forEach(function (st) {
      if (!counts[st]) {
        return;
      }
      var li = document.createElement("li");
      var n = document.createElement("strong");
      li.className = "count-" + st;
      n.textContent = String(counts[st]);
      li.appendChild(n);
      li.appendChild(document.createTextNode(" " + (labels[st] || st)));
      list.appendChild(li);
      words.push(counts[st] + " " + (labels[st] || st));
    });
    return words.join(", ");
  }
  // details replaces the final rows with the page's own, and shows the
  // page's offer to send failed rows again once there is one.
  function details() {
    return fetch(location.pathname + location.search, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var retry = doc.getElementById("retry-p");
        if (retry && !document.getElementById("retry-p")) {
          live.parentNode.insertBefore(document.importNode(retry, true), live.nextSibling);
        }
        Array.prototype.forEach.call(doc.querySelectorAll("#docs tbody tr"), function (fresh) {
          var tr = document.getElementById(fresh.id);
          if (tr && final(fresh.dataset.status)) {
            tr.replaceWith(document.importNode(fresh, true));
          }
        });
      });
  }
  function poll() {
    fetch("/api/v1/batches/" + encodeURIComponent(id), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.status >= 400 && r.status < 500) {
          // Signed out, or no longer allowed: reloading says why.
          if (refresh) {
            refresh.hidden = false;
          }
          return Promise.reject(null);
        }
        return r.ok ? r.json() : Promise.reject(new Error(String(r.status)));
      })
      .then(function (b) {
        var newlyFinal = false;
        b.records.forEach(function (rec) {
          var tr = document.getElementById("rec-" + rec.id);
          if (!tr || tr.dataset.status === rec.status) {
            return;
          }
          setState(tr, rec.status);
          newlyFinal = newlyFinal || final(rec.status);
        });
        var said = setCounts(b.batch.counts);
        var done = b.records.every(function (rec) { return final(rec.status); });
        return (newlyFinal ? details() : Promise.resolve()).then(function () {
          if (done) {
            table.dataset.final = "1";
            live.textContent = table.dataset.done + " " + said + ".";
            return;
          }
          setTimeout(poll, 1500);
        });
      })
      .catch(function (err) {
        if (err !== null) {
          setTimeout(poll, 5000); // the server or the network, for a while
        }
      });
  }
  setTimeout(poll, 1000);
});
