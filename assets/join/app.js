/* The phone page: find your name, check in, follow the rotation live, reflect at the debrief.
   Everything a person typed is put on the page with textContent, never as HTML. */
"use strict";
(function () {
  var API = "/api/v1/s/";
  var STORE = "workshop-join-v1";
  var token = decodeURIComponent(location.pathname.split("/")[2] || "");
  var info = null, me = null, live = null, poll = null, tick = null, deadline = null, last = null;
  var waitTimer = null;
  var $ = function (id) { return document.getElementById(id); };

  function show(id, on) { $(id).hidden = !on; }
  function say(text, kind) {
    var s = $("status");
    s.textContent = text || "";
    s.className = "status" + (kind ? " " + kind : "");
  }

  function remembered() {
    try { return JSON.parse(localStorage.getItem(STORE) || "{}"); } catch (e) { return {}; }
  }
  function remember(person) {
    var all = remembered();
    if (person) { all[info.academy] = person; } else { delete all[info.academy]; }
    try { localStorage.setItem(STORE, JSON.stringify(all)); } catch (e) { /* private mode */ }
  }

  function request(method, path, body) {
    var options = { method: method, headers: { "Accept": "application/json" }, cache: "no-store" };
    if (body) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(Object.assign({ v: 1 }, body));
    }
    return fetch(API + encodeURIComponent(token) + path, options).then(function (r) {
      if (r.status === 404) { throw { gone: true, message: "This station link no longer works. Scan the QR code at the station again." }; }
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) { throw { status: r.status, message: data.error || "Something went wrong. Try again." }; }
        return data;
      });
    }, function () {
      throw { message: "Cannot reach the facilitator's laptop. Check that you are on the room's Wi-Fi." };
    });
  }

  function failed(error) {
    say(error.message, "error");
    if (error.gone) { stopLive(); show("who", false); show("live", false); }
    if (error.status === 403) { remember(null); me = null; stopLive(); askWho(); }
  }

  /* -- who are you --------------------------------------------------------------------- */
  function askWho() {
    show("live", false);
    show("who", true);
    var known = remembered()[info.academy];
    show("remembered", !!known);
    show("find", !known);
    show("walkin", false);
    show("waiting", false);
    var ticket = remembered()["wait:" + info.academy];
    if (!known && ticket) { waitFor(ticket); return; }
    if (known) {
      $("again").textContent = "Check in as " + known.name;
      $("not-me").textContent = "Not " + known.name + "? Find your name";
      $("again").focus();
    }
  }

  var searchTimer = null, searchSeq = 0;
  function search() {
    var q = $("name").value.trim();
    clearTimeout(searchTimer);
    var list = $("matches");
    if (q.replace(/[^\p{L}\p{N}]/gu, "").length < 2) {
      list.textContent = "";
      $("name-hint").textContent = "Your first name and the first letter of your surname (“Maria N”), or your full name.";
      return;
    }
    searchTimer = setTimeout(function () {
      var seq = ++searchSeq;
      request("GET", "/names?q=" + encodeURIComponent(q)).then(function (data) {
        if (seq !== searchSeq) { return; }
        list.textContent = "";
        data.matches.forEach(function (m) {
          var li = document.createElement("li");
          var b = document.createElement("button");
          b.type = "button";
          b.textContent = m.name;
          b.dir = "auto";
          b.addEventListener("click", function () { checkIn(m.key, b); });
          li.appendChild(b);
          list.appendChild(li);
        });
        $("name-hint").textContent = data.hint || (data.matches.length === 0
          ? "No one on the list matches yet: type your first name and the first letter of your surname, or join as a walk-in."
          : "Tap your name.");
      }, failed);
    }, 150);
  }

  function busy(button, on) { if (button) { button.disabled = on; } }

  function checkIn(key, button) {
    busy(button, true);
    say("Checking you in…");
    request("POST", "/checkin", { key: key }).then(checkedIn, failed).then(function () { busy(button, false); });
  }

  /* -- a walk-in waiting for the facilitator's approval ----------------------------------- */
  function rememberTicket(ticket) {
    var all = remembered();
    if (ticket) { all["wait:" + info.academy] = ticket; } else { delete all["wait:" + info.academy]; }
    try { localStorage.setItem(STORE, JSON.stringify(all)); } catch (e) { /* private mode */ }
  }
  function stopWaiting() { if (waitTimer) { clearTimeout(waitTimer); waitTimer = null; } rememberTicket(null); }
  function waitFor(ticket) {
    rememberTicket(ticket);
    show("find", false); show("walkin", false); show("remembered", false); show("waiting", true);
    request("GET", "/walkin?ticket=" + encodeURIComponent(ticket)).then(function (data) {
      if (data.checked_in) { stopWaiting(); show("waiting", false); checkedIn(data); return; }
      if (data.rejected) {
        stopWaiting(); show("waiting", false); show("find", true); say(data.message, "error"); return;
      }
      $("waiting-text").textContent = data.message;
      waitTimer = setTimeout(function () { waitFor(ticket); }, 3000);
    }, function (error) {
      if (error.status === 400) { stopWaiting(); show("waiting", false); show("find", true); }
      else { waitTimer = setTimeout(function () { waitFor(ticket); }, 3000); }
      say(error.message, "error");
    });
  }
  function walkedIn(data) {
    if (data.waiting) { say(data.message); waitFor(data.ticket); return; }
    checkedIn(data);
  }

  function checkedIn(data) {
    me = { key: data.key, name: data.name };
    remember(me);
    say((data.duplicate ? "You were already checked in at Station " : "You're checked in at Station ")
        + data.station + ".", "ok");
    show("who", false);
    show("live", true);
    startLive();
  }

  /* -- live updates ---------------------------------------------------------------------- */
  function startLive() {
    stopLive();
    var path = API + encodeURIComponent(token) + "/live?key=" + encodeURIComponent(me.key);
    if (window.EventSource) {
      live = new EventSource(path);
      live.onmessage = function (e) { try { render(JSON.parse(e.data)); } catch (err) { /* skip */ } };
      live.addEventListener("gone", function () { refresh(); });
      live.onerror = function () { if (live && live.readyState === 2) { live = null; startPolling(); } };
    } else {
      startPolling();
    }
    refresh();
  }
  function startPolling() { if (!poll) { poll = setInterval(refresh, 3000); } }
  function stopLive() {
    if (live) { live.close(); live = null; }
    if (poll) { clearInterval(poll); poll = null; }
  }
  function refresh() {
    if (me) { request("GET", "/state?key=" + encodeURIComponent(me.key)).then(render, failed); }
  }

  var PHASES = { ready: "Not started yet", round: "Round", transition: "Move now", debrief: "Debrief", finished: "Finished" };
  function clockText(s) {
    s = Math.max(0, Math.ceil(s));
    var m = Math.floor(s / 60), r = s % 60;
    return m + ":" + (r < 10 ? "0" : "") + r;
  }
  function paint() {
    if (!last) { return; }
    var running = /^(round|transition|debrief)$/.test(last.phase);
    var left = last.paused || deadline === null ? last.remaining_s : (deadline - Date.now()) / 1000;
    $("time").textContent = running ? clockText(left) : "";
  }

  function render(s) {
    var announce = !!last && (last.phase !== s.phase || last.round !== s.round);
    last = s;
    deadline = s.paused ? null : Date.now() + s.remaining_s * 1000;
    if (!tick) { tick = setInterval(paint, 250); }
    $("you").textContent = s.you.name + (s.you.group ? " · " + s.you.group : "") + (s.you.walk_in ? " · walk-in" : "");
    var label = PHASES[s.phase] || s.phase;
    if (s.phase === "round") { label = "Round " + s.round + " of " + s.rounds_total; }
    if (s.paused) { label += " · paused"; }
    $("phase").textContent = label;
    $("clock").className = "clock" + (s.paused ? " paused" : "");
    paint();
    show("move", !!s.move_to);
    $("move").textContent = s.move_to ? "Move to " + s.move_to.title : "";
    $("here-title").textContent = s.station.title;
    var where = "";
    if (s.phase === "round" && s.checked_in && s.checked_in.station !== s.station.position) {
      where = "Your group is at Station " + s.station.position + " now.";
    } else if (s.phase === "ready") {
      where = "The rotation has not started yet. " + (s.station.position !== s.scanned
        ? "Your group starts at Station " + s.station.position + "."
        : "Stay here until the facilitator starts it.");
    } else if (s.phase === "finished") {
      where = "The rotation is over. Thank you!";
    }
    $("where").textContent = where;
    // Each round needs its own scan (an arrival scan counts for round 1): the server says what.
    $("expect").textContent = s.expect || "";
    $("prompt").textContent = s.station.prompt;
    var reflecting = s.phase === "debrief" || s.phase === "finished";
    show("debrief", reflecting && s.visited.length > 0);
    if (reflecting) { buildForms(s.visited); }
    if (announce) {
      if (s.move_to) { say("Move to " + s.move_to.title + ".", "ok"); }
      else if (s.phase === "debrief") { say("Debrief: tell the facilitator how each station felt."); }
    }
  }

  /* -- reflections ----------------------------------------------------------------------- */
  function sentStations() {
    var all = remembered()["sent:" + me.key];
    return Array.isArray(all) ? all : [];
  }
  function markSent(position) {
    var all = remembered();
    var list = sentStations();
    list.push(position);
    all["sent:" + me.key] = list;
    try { localStorage.setItem(STORE, JSON.stringify(all)); } catch (e) { /* private mode */ }
  }
  function randomId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function buildForms(visited) {
    var holder = $("forms");
    var sent = sentStations();
    visited.forEach(function (station) {
      var id = "reflect-" + station.position;
      if (document.getElementById(id)) { return; }
      var form = $("reflection-template").content.firstElementChild.cloneNode(true);
      form.id = id;
      form.querySelector(".r-title").textContent = station.title;
      form.querySelector(".r-prompt").textContent = station.debrief_prompt || "How did it feel to be a learner here?";
      var area = form.querySelector("textarea");
      area.id = id + "-text";
      form.querySelector(".r-label").htmlFor = area.id;
      area.setAttribute("aria-describedby", id + "-count");
      var count = form.querySelector(".r-count");
      count.id = id + "-count";
      var update = function () { count.textContent = area.value.length + " of 2000 characters"; };
      area.addEventListener("input", update);
      update();
      var requestId = randomId();
      if (sent.indexOf(station.position) >= 0) { done(form); }
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var button = form.querySelector("button");
        var status = form.querySelector(".r-status");
        busy(button, true);
        status.textContent = "Sending…";
        status.className = "r-status";
        request("POST", "/reflections", {
          key: me.key, station: station.position, text: area.value,
          anonymous: form.querySelector(".r-anon").checked, request_id: requestId
        }).then(function () {
          markSent(station.position);
          done(form);
        }, function (error) {
          status.textContent = error.message;
          status.className = "r-status error";
          busy(button, false);
        });
      });
      holder.appendChild(form);
    });
  }
  function done(form) {
    Array.prototype.forEach.call(form.querySelectorAll("textarea, input, button, .r-count, .r-label, .check"),
      function (el) { el.hidden = true; });
    var status = form.querySelector(".r-status");
    status.textContent = "Sent. Thank you!";
    status.className = "r-status ok";
  }

  /* -- start --------------------------------------------------------------------------- */
  function start() {
    $("name").addEventListener("input", search);
    $("find").addEventListener("submit", function (e) { e.preventDefault(); search(); });
    $("again").addEventListener("click", function () { checkIn(remembered()[info.academy].key, $("again")); });
    $("not-me").addEventListener("click", function () { remember(null); askWho(); $("name").focus(); });
    $("switch").addEventListener("click", function () {
      stopLive(); remember(null); me = null; last = null; $("forms").textContent = ""; say(""); askWho();
    });
    $("walkin-open").addEventListener("click", function () {
      show("find", false); show("walkin", true);
      $("walkin-name").value = $("name").value.trim();
      $("walkin-name").focus();
    });
    $("walkin-cancel").addEventListener("click", function () { show("walkin", false); show("find", true); });
    $("waiting-cancel").addEventListener("click", function () {
      stopWaiting(); show("waiting", false); show("find", true); say(""); $("name").focus();
    });
    $("walkin").addEventListener("submit", function (e) {
      e.preventDefault();
      var button = $("walkin").querySelector("button[type=submit]");
      busy(button, true);
      say("Checking you in…");
      request("POST", "/walkin", { name: $("walkin-name").value })
        .then(walkedIn, failed).then(function () { busy(button, false); });
    });
    var shown = function (data) {
      info = data;
      $("academy").textContent = data.academy;
      $("station").textContent = data.station.title;
      document.title = data.station.title;
      askWho();
    };
    var filled = document.querySelector("meta[name=join-station]");
    var embedded = null;
    try { embedded = filled && filled.content ? JSON.parse(filled.content) : null; } catch (e) { embedded = null; }
    if (embedded && embedded.station) {
      shown(embedded);  /* the server filled the station in: no request needed */
    } else {
      request("GET", "").then(shown, function (error) {
        $("station").textContent = "Station not found";
        failed(error);
      });
    }
  }
  start();
})();
