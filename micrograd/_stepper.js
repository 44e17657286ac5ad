function (root) {
  // Shows one frame of a micrograd backward() stepper at a time. Without this
  // script every frame stays visible, one below the other.
  var frames = root.querySelectorAll(".mg-frame");
  var slider = root.querySelector(".mg-controls input");
  var counter = root.querySelector(".mg-counter");
  var button = {};
  root.querySelectorAll("button[data-action]").forEach(function (b) {
    button[b.getAttribute("data-action")] = b;
  });
  var last = frames.length - 1;
  var current = 0;
  var timer = null;

  // On a narrow screen a frame's graph is wider than the page and scrolls sideways (its
  // caption stays put): bring the values of this step (the one passing its gradient on, the
  // ones receiving it) into view.
  function keepInView(figure) {
    var frame = figure.querySelector(".mg-frame-graph");
    if (frame.scrollWidth <= frame.clientWidth) return;
    var group = frame.querySelectorAll(".mgactive, .mgreceiving");
    var active = frame.querySelectorAll(".mgactive");
    var box = frame.getBoundingClientRect();
    function span(nodes) {
      var left = Infinity, right = -Infinity;
      nodes.forEach(function (node) {
        var r = node.getBoundingClientRect();
        left = Math.min(left, r.left);
        right = Math.max(right, r.right);
      });
      return { left: left - box.left + frame.scrollLeft, right: right - box.left + frame.scrollLeft };
    }
    if (!active.length) { frame.scrollLeft = 0; return; }
    var s = span(group);
    if (s.right - s.left > frame.clientWidth) s = span(active);
    frame.scrollLeft = (s.left + s.right) / 2 - frame.clientWidth / 2;
  }

  function show(k) {
    current = Math.max(0, Math.min(last, k));
    frames.forEach(function (frame, i) { frame.hidden = i !== current; });
    keepInView(frames[current]);
    slider.value = current;
    counter.textContent = "Step " + current + " of " + last;
    button.first.disabled = button.prev.disabled = current === 0;
    button.next.disabled = button.last.disabled = current === last;
  }
  function pause() {
    clearInterval(timer);
    timer = null;
    button.play.textContent = "\u25B6 Play";
  }
  function play() {
    if (current === last) show(0);
    button.play.textContent = "Pause";
    timer = setInterval(function () {
      show(current + 1);
      if (current === last) pause();
    }, 1500);
  }

  button.first.onclick = function () { pause(); show(0); };
  button.prev.onclick = function () { pause(); show(current - 1); };
  button.next.onclick = function () { pause(); show(current + 1); };
  button.last.onclick = function () { pause(); show(last); };
  button.play.onclick = function () { if (timer) pause(); else play(); };
  slider.oninput = function () { pause(); show(Number(slider.value)); };
  root.addEventListener("keydown", function (event) {
    if (event.target === slider) return;  // the slider moves itself with the arrow keys
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;  // the browser's own shortcuts
    pause();
    show(current + (event.key === "ArrowRight" ? 1 : -1));
    event.preventDefault();
    // The arrow keys are the stepper's while it has the focus: a page that also moves on
    // arrow keys (Sphinx's navigation_with_keys goes to the next page) must not see them.
    event.stopPropagation();
  });
  root.querySelector(".mg-controls").hidden = false;
  show(0);
}
