// Episode page: chapters seek the player; the cue being spoken is highlighted.
(function () {
  "use strict";
  var audio = document.getElementById("player");
  if (!audio) {
    return;
  }
  var cues = Array.prototype.slice.call(document.querySelectorAll("[data-cue]"));
  var chapters = Array.prototype.slice.call(document.querySelectorAll("ol.chapters li"));

  function start(element) { return parseFloat(element.getAttribute("data-start")); }
  function end(element) { return parseFloat(element.getAttribute("data-end")); }

  function seek(seconds) {
    // Jump only: a paused player stays paused (the list is also used to skim),
    // a playing one plays on from the new place.
    audio.currentTime = seconds;
    highlight();
  }

  function find(elements, t) {
    for (var i = 0; i < elements.length; i++) {
      if (start(elements[i]) <= t && t < end(elements[i])) {
        return elements[i];
      }
    }
    return null;
  }

  var activeCue = null;
  var activeChapter = null;

  function mark(previous, next) {
    if (previous === next) {
      return next;
    }
    if (previous) {
      previous.classList.remove("active");
      previous.removeAttribute("aria-current");
    }
    if (next) {
      next.classList.add("active");
      next.setAttribute("aria-current", "true");
    }
    return next;
  }

  function highlight() {
    var t = audio.currentTime;
    var cue = find(cues, t);
    if (cue !== activeCue && cue && !audio.paused) {
      cue.scrollIntoView({ block: "nearest" });
    }
    activeCue = mark(activeCue, cue);
    activeChapter = mark(activeChapter, find(chapters, t));
  }

  document.querySelectorAll("[data-seek]").forEach(function (button) {
    button.addEventListener("click", function () { seek(start(button)); });
  });
  cues.forEach(function (cue) {
    cue.addEventListener("click", function () { seek(start(cue)); });
  });
  // The page first, then the audio's length: fetched with the page, a short
  // episode's whole file shares a slow link with the cover and holds back the
  // page's first full paint. Once the page has loaded and been painted, the
  // player asks for the metadata it would have asked for at once (unless it
  // is already playing).
  function fetchMetadata() {
    if (audio.preload === "none" && audio.readyState === 0 && audio.paused) {
      audio.preload = "metadata";
      audio.load();
    }
  }
  function afterNextPaint() {
    // A frame's callbacks run before it is painted; a task queued there, after.
    requestAnimationFrame(function () { setTimeout(fetchMetadata, 0); });
  }
  if (document.readyState === "complete") {
    afterNextPaint();
  } else {
    window.addEventListener("load", afterNextPaint);
  }
  audio.addEventListener("timeupdate", highlight);
  audio.addEventListener("seeked", highlight);
  audio.addEventListener("loadedmetadata", highlight);
})();
