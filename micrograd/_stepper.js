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

  function show(k) {
    current = Math.max(0, Math.min(last, k));
    frames.forEach(function (frame, i) { frame.hidden = i !== current; });
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
    if (event.key === "ArrowRight") { pause(); show(current + 1); event.preventDefault(); }
    if (event.key === "ArrowLeft") { pause(); show(current - 1); event.preventDefault(); }
  });
  root.querySelector(".mg-controls").hidden = false;
  show(0);
}
