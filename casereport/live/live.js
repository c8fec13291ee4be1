// casereport serve: reload the letter after each rebuild, show errors over the last good letter.
// Served by `casereport serve` only; never part of letter.html as built.
(() => {
  "use strict";
  const shown = Number(document.currentScript.dataset.letter);
  const scrollKey = "casereport-scroll";

  const host = document.createElement("casereport-live");
  const root = host.attachShadow({ mode: "open" });
  root.innerHTML = `
<style>
  :host { all: initial; }
  .bar { position: fixed; top: 8px; right: 8px; z-index: 2147483647; display: flex; gap: 8px;
         align-items: center; font: 13px/1.4 system-ui, sans-serif; color: #222;
         background: rgba(255,255,255,.95); border: 1px solid #ccc; border-radius: 6px;
         padding: 4px 10px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
  .dot { width: 8px; height: 8px; border-radius: 50%; background: #999; }
  .dot.live { background: #2a9d3a; } .dot.busy { background: #e0a000; }
  a { color: #0645ad; }
  .overlay { position: fixed; left: 0; right: 0; bottom: 0; z-index: 2147483646;
             max-height: 45vh; overflow: auto; background: rgba(40,0,0,.92); color: #fff;
             font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace;
             padding: 12px 16px; box-shadow: 0 -2px 8px rgba(0,0,0,.3); }
  .overlay[hidden] { display: none; }
  .overlay h2 { font: bold 14px system-ui, sans-serif; margin: 0 0 6px; }
  .overlay p { margin: 0 0 8px; font-family: system-ui, sans-serif; opacity: .85; }
  .overlay pre { margin: 0; white-space: pre-wrap; }
</style>
<div class="bar"><span class="dot" title="connection to casereport serve"></span>
  <span class="pdf">PDF: not built yet</span></div>
<div class="overlay" role="alert" hidden><h2></h2>
  <p>The letter below is the last good one; it stays until the case builds again.
  Fix the case and save: this page reloads by itself.</p><pre></pre></div>`;
  const dot = root.querySelector(".dot");
  const pdf = root.querySelector(".pdf");
  const overlay = root.querySelector(".overlay");

  function showPdf(state) {
    if (!state.pdf) return;
    const link = document.createElement("a");
    link.href = state.pdf.href;
    link.target = "_blank";
    link.textContent = "PDF";
    pdf.replaceChildren(link, ` (${state.pdf.pages} p.) built ${state.pdf.built}` +
      ` in ${state.pdf.seconds.toFixed(2)} s`);
  }

  function showErrors(state) {
    overlay.hidden = state.ok;
    if (state.ok) return;
    overlay.querySelector("h2").textContent = "casereport: " + state.summary;
    overlay.querySelector("pre").textContent = state.errors.join("\n");
  }

  function update(state, events) {
    if (state.letter !== shown) {
      events.close();
      sessionStorage.setItem(scrollKey, String(window.scrollY));
      window.location.reload();
      return;
    }
    dot.className = "dot " + (state.building ? "busy" : "live");
    showPdf(state);
    showErrors(state);
  }

  function start() {
    document.body.appendChild(host);
    const saved = sessionStorage.getItem(scrollKey);
    if (saved !== null) {
      sessionStorage.removeItem(scrollKey);
      window.scrollTo(0, Number(saved));
    }
    const events = new EventSource("/__casereport/events");
    events.onmessage = (event) => update(JSON.parse(event.data), events);
    events.onerror = () => { dot.className = "dot"; };
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
