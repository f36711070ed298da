/* The phone page: find your name, check in, follow the rotation live, reflect at the debrief.
   Everything a person typed is put on the page with textContent, never as HTML. */
"use strict";
(function () {
  var API = "/api/v1/s/";
  var STORE = "workshop-join-v1";
  var token = decodeURIComponent(location.pathname.split("/")[2] || "");
  var info = null, me = null, live = null, poll = null, tick = null, ends = null, last = null;
  var waitTimer = null;
  var $ = function (id) { return document.getElementById(id); };
  /* The phone's stopwatch. Time left is the laptop's: each answer says how long the phase still
     runs, and the phone counts from the moment it heard it on its monotonic clock, so a phone
     whose own clock is wrong, or jumps (a time-zone or network correction), shows the
     projector's time. Date.now() serves only to notice that the phone slept. */
  var now = function () { return performance.now(); };
  var HEARTBEAT_MS = 5000, STALE_MS = 12000, MAX_BACKOFF_MS = 15000;
  /* The link to the laptop: heard = when the laptop last answered (stopwatch ms), rtt = the last
     round trip (half of it is taken off what a stream message says), lostAt = since when. */
  var link = { live: false, heard: null, rtt: 0, failures: 0, timer: null, retryAt: null,
               lostAt: null, probing: false, wall: Date.now(), mono: now() };

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

  function request(method, path, body, forToken) {
    var options = { method: method, headers: { "Accept": "application/json" }, cache: "no-store" };
    if (body) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(Object.assign({ v: 1 }, body));
    }
    var started = now();
    return fetch(API + encodeURIComponent(forToken || token) + path, options).then(function (r) {
      link.rtt = now() - started;
      if (r.status === 404) { throw { gone: true, message: "This station link no longer works. Scan the QR code at the station again." }; }
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) { throw { status: r.status, message: data.error || "Something went wrong. Try again." }; }
        return data;
      });
    }, function () {
      throw { offline: true, message: "Cannot reach the facilitator's laptop. Check that you are on the room's Wi-Fi." };
    });
  }

  function failed(error) {
    if (error.offline) { lost(); return; }  /* the link line says so, and it tries again */
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
    // Two letters or digits before asking the server; one Chinese character is a whole
    // syllable, so it is enough on its own (the server applies the same rule).
    if (q.replace(/[^\p{L}\p{N}]/gu, "").length < 2 && !/\p{Script=Han}/u.test(q)) {
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
    request("POST", "/checkin", { key: key }).then(checkedIn, function (error) {
      if (!error.offline) { failed(error); return; }
      /* Kept on the phone and sent once the laptop answers: a check-in is one per person,
         station and round, so sending it twice is one check-in. */
      hold({ kind: "checkin", token: token, path: "/checkin", body: { key: key } });
      say("This phone keeps your check-in and sends it as soon as it reaches the laptop.", "error");
      lost();
    }).then(function () { busy(button, false); });
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
      live.onmessage = function (e) {
        heard();
        try { render(JSON.parse(e.data), now() - link.rtt / 2); } catch (err) { /* skip */ }
      };
      live.addEventListener("beat", function () { heard(); });
      live.addEventListener("gone", function () { refresh(); });
      /* A dropped stream (the laptop stopped, the Wi-Fi went): our own backoff, not the
         browser's fixed retry, and the page says it is offline at once. */
      live.onerror = function () { lost(); };
    } else {
      poll = setInterval(refresh, 3000);
    }
    refresh();
  }
  function stopLive() {
    if (live) { live.close(); live = null; }
    if (poll) { clearInterval(poll); poll = null; }
  }
  function refresh() {
    if (!me) { return; }
    var started = now();
    request("GET", "/state?key=" + encodeURIComponent(me.key)).then(function (s) {
      heard();
      render(s, (started + now()) / 2);  /* the laptop read it about half-way through the trip */
    }, failed);
  }

  /* -- the link: connected or not, how fresh, reconnecting with backoff ----------------- */
  function heard() {
    link.heard = now();
    if (!link.live) { link.live = true; link.failures = 0; link.lostAt = null; flush(); }
    showLink();
  }
  function lost() {
    stopLive();
    var first = link.live || link.lostAt === null;
    link.live = false;
    if (link.lostAt === null) { link.lostAt = Date.now(); }
    if (first || !link.timer) {
      clearTimeout(link.timer);
      link.failures += 1;
      var delay = Math.min(MAX_BACKOFF_MS, 1000 * Math.pow(2, link.failures - 1)) * (0.75 + Math.random() * 0.5);
      link.retryAt = now() + delay;
      link.timer = setTimeout(reconnect, delay);
    }
    showLink();
    paint();
  }
  function reconnect() {
    clearTimeout(link.timer);
    link.timer = null;
    if (link.probing) { return; }
    link.probing = true;
    var started = now();
    var done = function () { link.probing = false; };
    if (me) {
      request("GET", "/state?key=" + encodeURIComponent(me.key)).then(function (s) {
        done(); heard(); render(s, (started + now()) / 2); startLive();
      }, function (error) { done(); failed(error); });
    } else {
      request("GET", "").then(function () { done(); heard(); }, function (error) { done(); failed(error); });
    }
  }
  function ago(ms) {
    var s = Math.round(ms / 1000);
    return s < 2 ? "just now" : s < 120 ? s + " s ago" : Math.round(s / 60) + " min ago";
  }
  function showLink() {
    var line = $("link"), hint = $("link-hint");
    if (!me && link.lostAt === null) { line.hidden = true; hint.hidden = true; return; }
    line.hidden = false;
    if (link.live) {
      line.textContent = "Connected · updated " + ago(now() - link.heard);
      line.className = "link-state ok";
      hint.hidden = true;
      return;
    }
    var retry = link.timer && link.retryAt !== null ? Math.max(0, Math.ceil((link.retryAt - now()) / 1000)) : 0;
    line.textContent = "Offline · " + (link.heard === null ? "no update yet" : "last update " + ago(now() - link.heard))
      + " · " + (link.probing || retry === 0 ? "trying now…" : "trying again in " + retry + " s");
    line.className = "link-state error";
    /* The usual cause in a room: the phone left a Wi-Fi without internet for mobile data. */
    hint.textContent = navigator.onLine === false
      ? "This phone has no network. Join the room's Wi-Fi again; this page carries on by itself."
      : link.failures >= 2
        ? "Stay on the room's Wi-Fi. If the phone switched to mobile data, turn mobile data off: phones leave a Wi-Fi that has no internet."
        : "";
    hint.hidden = !hint.textContent;
  }
  /* Every 250 ms: paint the time, notice a silent link, notice that the phone slept (its
     timers stopped: the stopwatch or the wall clock moved far more than 250 ms). */
  function watch() {
    var wall = Date.now(), mono = now();
    var slept = mono - link.mono > 3000 || Math.abs(wall - link.wall) > 3000 + (mono - link.mono);
    link.wall = wall; link.mono = mono;
    if (me && link.live && (slept || mono - link.heard > STALE_MS)) { lost(); reconnect(); }
    if (link.live || link.lostAt !== null) { showLink(); }
    paint();
  }

  /* -- kept on the phone while offline: sent, in order, when the laptop answers ----------- */
  function outboxKey() { return "outbox:" + (info ? info.academy : ""); }
  function held() { var list = remembered()[outboxKey()]; return Array.isArray(list) ? list : []; }
  function keep(list) {
    var all = remembered();
    if (list.length) { all[outboxKey()] = list; } else { delete all[outboxKey()]; }
    try { localStorage.setItem(STORE, JSON.stringify(all)); } catch (e) { /* private mode */ }
  }
  function hold(item) {
    var list = held().filter(function (other) {
      return !(other.kind === item.kind && other.token === item.token && JSON.stringify(other.body) === JSON.stringify(item.body));
    });
    item.id = item.id || randomId();
    list.push(item);
    keep(list);
  }
  var flushing = false;
  function flush() {
    var list = held();
    if (flushing || !list.length) { return; }
    var item = list[0];
    flushing = true;
    var drop = function () { keep(held().filter(function (other) { return other.id !== item.id; })); flushing = false; };
    request("POST", item.path, item.body, item.token).then(function (data) {
      drop();
      delivered(item, data, null);
      flush();
    }, function (error) {
      if (error.offline) { flushing = false; lost(); return; }
      drop();  /* refused (a changed resend, an unknown person): told, not retried */
      delivered(item, null, error);
      flush();
    });
  }
  function delivered(item, data, error) {
    if (item.kind === "checkin") {
      if (error) { failed(error); }
      else if (item.token === token) { checkedIn(data); }
      else { say("You're checked in at Station " + data.station + ".", "ok"); }
      return;
    }
    var form = document.getElementById("reflect-" + item.body.station);
    if (!error && me && item.body.key === me.key) { markSent(item.body.station); }
    if (!form) { return; }
    if (error) { failedForm(form, error); } else { done(form); }
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
    var left = ends === null ? last.remaining_s : (ends - now()) / 1000;
    var time = $("time");
    /* Offline, the laptop may have paused, added a minute or moved on: no countdown is shown
       as if it were live. */
    time.textContent = !running ? "" : link.live ? clockText(left) : "–:––";
    /* Where the countdown is anchored on the phone's stopwatch (tests read it to the ms). */
    time.dataset.endsAt = running && link.live && ends !== null ? String(ends) : "";
    $("clock").classList.toggle("stale", running && !link.live);
  }

  function render(s, readAt) {
    var announce = !!last && (last.phase !== s.phase || last.round !== s.round);
    last = s;
    ends = s.paused ? null : readAt + s.remaining_s * 1000;
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
      var waiting = held().some(function (item) { return item.kind === "reflection" && item.body.station === station.position && item.body.key === me.key; });
      if (waiting) {
        busy(form.querySelector("button"), true);
        form.querySelector(".r-status").textContent = "Kept on this phone: it is sent as soon as the phone reaches the laptop.";
      }
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var button = form.querySelector("button");
        var status = form.querySelector(".r-status");
        busy(button, true);
        status.textContent = "Sending…";
        status.className = "r-status";
        var body = {
          key: me.key, station: station.position, text: area.value,
          anonymous: form.querySelector(".r-anon").checked, request_id: requestId
        };
        request("POST", "/reflections", body).then(function () {
          markSent(station.position);
          done(form);
        }, function (error) {
          if (!error.offline) { failedForm(form, error); return; }
          /* The same request_id goes with it: a resend after a lost answer is one reflection. */
          hold({ kind: "reflection", token: token, path: "/reflections", body: body, id: requestId });
          status.textContent = "Kept on this phone: it is sent as soon as the phone reaches the laptop.";
          lost();
        });
      });
      holder.appendChild(form);
    });
  }
  function failedForm(form, error) {
    var status = form.querySelector(".r-status");
    status.textContent = error.message;
    status.className = "r-status error";
    busy(form.querySelector("button"), false);
  }
  function done(form) {
    Array.prototype.forEach.call(form.querySelectorAll("textarea, input, button, .r-count, .r-label, .check"),
      function (el) { el.hidden = true; });
    var status = form.querySelector(".r-status");
    status.textContent = "Sent. Thank you!";
    status.className = "r-status ok";
  }

  /* -- a personal link: the phone learns who it is, so each station scan is one tap ----- */
  function personal(data) {
    if (!data.person) { say(data.error, "error"); return; }
    info = { academy: data.academy };
    remember({ key: data.person.key, name: data.person.name });
    say("This phone now knows you as " + data.person.name + ". At each station, scan its code: "
        + "one tap checks you in.", "ok");
  }

  /* -- start --------------------------------------------------------------------------- */
  function start() {
    $("name").addEventListener("input", search);
    $("find").addEventListener("submit", function (e) { e.preventDefault(); search(); });
    $("again").addEventListener("click", function () { checkIn(remembered()[info.academy].key, $("again")); });
    $("not-me").addEventListener("click", function () { remember(null); askWho(); $("name").focus(); });
    $("switch").addEventListener("click", function () {
      stopLive(); remember(null); me = null; last = null; $("forms").textContent = ""; say(""); showLink(); askWho();
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
      flush();  /* anything kept while offline at an earlier station */
    };
    tick = setInterval(watch, 250);
    /* Back from sleep, another tab or a network change: look at once rather than at the next
       retry. */
    var wake = function () { if (me || link.lostAt !== null) { reconnect(); } };
    window.addEventListener("online", wake);
    window.addEventListener("pageshow", function (e) { if (e.persisted) { wake(); } });
    document.addEventListener("resume", wake);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && (!link.live || now() - link.heard > HEARTBEAT_MS)) { wake(); }
    });
    window.addEventListener("offline", function () { if (me) { lost(); } else { showLink(); } });
    var filled = document.querySelector("meta[name=join-station]");
    var embedded = null;
    try { embedded = filled && filled.content ? JSON.parse(filled.content) : null; } catch (e) { embedded = null; }
    if (embedded && (embedded.person || embedded.error)) {
      personal(embedded);  /* a personal link (the QR code on a group card) */
    } else if (embedded && embedded.station) {
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
