// Showing one output of a cell run in the browser, as the built page shows it.
//
// Text (printed lines, reprs, tracebacks) is always inserted as text, never as markup. SVG
// (draw_dot's graphs) is shown as an image, which cannot run scripts. HTML (the backward
// stepper, or any object with _repr_html_) runs its own script, so it is shown in a sandboxed
// iframe: scripts run, but in an opaque origin, with no access to this page, its storage or
// its cookies; the frame only tells the page its height.

const frames = new Map(); // iframe window -> iframe, for the height messages

addEventListener("message", (event) => {
  const frame = frames.get(event.source);
  const height = event.data && event.data.mgRunnerHeight;
  if (frame && Number.isFinite(height)) frame.style.height = `${Math.ceil(Math.min(height, 5000))}px`;
});

function textBlock(area, text, kind) {
  const pre = document.createElement("pre");
  pre.className = `mg-${kind}`;
  pre.textContent = text;
  area.append(pre);
  return pre;
}

// Graphviz writes a graph's name as the <title> of its drawing; micrograd's drawings name
// themselves with a sentence saying what they show, which becomes the image's text alternative.
// DOMParser only parses (an SVG document made this way runs no script), and only text is read.
const UNNAMED = new Set(["", "%3", "G", "micrograd", "blame"]);

function svgTitle(svg) {
  const title = new DOMParser().parseFromString(svg, "image/svg+xml").querySelector("g.graph > title");
  const text = title ? title.textContent.trim() : "";
  return UNNAMED.has(text) ? "" : text;
}

function image(area, kind, alt, src) {
  const img = document.createElement("img");
  img.className = kind;
  img.alt = alt;
  img.src = src;
  area.append(img);
  return img;
}

export function showOutput(area, output, cell) {
  switch (output.kind) {
    case "stream": {
      // Consecutive chunks of one stream form one block, as on the built page.
      const last = area.lastElementChild;
      if (last && last.classList.contains(`mg-${output.name}`)) last.textContent += output.text;
      else textBlock(area, output.text, output.name);
      break;
    }
    case "text":
      textBlock(area, output.text, "text");
      break;
    case "error":
      textBlock(area, `${output.traceback}`.trimEnd() || `${output.ename}: ${output.evalue}`, "error");
      break;
    case "svg":
      image(area, "mg-svg", svgTitle(output.svg) || `Drawing output by cell ${cell}`,
            URL.createObjectURL(new Blob([output.svg], {type: "image/svg+xml"})));
      break;
    case "png":
      image(area, "mg-png", `Figure output by cell ${cell}`, `data:image/png;base64,${output.data}`);
      break;
    case "html": {
      const frame = document.createElement("iframe");
      frame.className = "mg-html";
      frame.title = `HTML output of cell ${cell}`;
      frame.setAttribute("sandbox", "allow-scripts");
      const reportHeight =
        "<script>new ResizeObserver(() => parent.postMessage({mgRunnerHeight:" +
        " document.documentElement.scrollHeight}, '*')).observe(document.documentElement);</" + "script>";
      frame.srcdoc = `<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0;font-family:system-ui,sans-serif}</style></head><body>${output.html}${reportHeight}</body></html>`;
      area.append(frame);
      frames.set(frame.contentWindow, frame);
      break;
    }
    default:
      textBlock(area, JSON.stringify(output), "text");
  }
}
