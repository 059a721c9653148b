// CloudOps console: the one page script. It follows the live hub (/hubs/tasks, WebSocket, falling back
// to the SSE stream /api/tasks/{id}/sse) and applies events to the server-rendered page: it updates the
// text and progress of elements that are already there, appends log lines as text, and asks htmx to
// swap in server-rendered fragments when a task's status changes. It never builds markup from JSON.
(function () {
  'use strict';

  var RECONNECT_MAX_MS = 10000;
  var WS_FAILURES_BEFORE_SSE = 3;

  // ---- small helpers -------------------------------------------------------------------------

  function each(selector, root, fn) {
    Array.prototype.forEach.call((root || document).querySelectorAll(selector), fn);
  }

  function pad(n) { return String(n).padStart(2, '0'); }

  /** 14:03:21, or 2025-01-31 14:03 with the date, in the browser's time zone. */
  function localTime(iso, withDate) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return null;
    var time = pad(d.getHours()) + ':' + pad(d.getMinutes());
    return withDate
      ? d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + time
      : time + ':' + pad(d.getSeconds());
  }

  /** Server-rendered times are UTC; show them in the browser's time zone. */
  function localizeTimes(root) {
    each('time[data-local]', root, function (el) {
      if (!el.dateTime) return;
      var text = localTime(el.dateTime, el.dataset.local === 'datetime');
      if (text) {
        el.textContent = text;
        el.title = el.dateTime;
      }
    });
  }

  function human(ms) {
    ms = Math.max(0, ms);
    if (ms < 1000) return Math.round(ms) + ' ms';
    if (ms < 60000) return (ms / 1000).toFixed(1) + ' s';
    var s = Math.floor(ms / 1000);
    if (s < 3600) return Math.floor(s / 60) + ' min ' + String(s % 60).padStart(2, '0') + ' s';
    return Math.floor(s / 3600) + ' h ' + String(Math.floor((s % 3600) / 60)).padStart(2, '0') + ' min';
  }

  /** Running durations and sandbox countdowns tick every second. */
  function tick() {
    var now = Date.now();
    each('[data-running-since]', document, function (el) {
      var since = Date.parse(el.dataset.runningSince);
      if (!isNaN(since)) el.textContent = human(now - since);
    });
    each('[data-expires-at]', document, function (el) {
      var at = Date.parse(el.dataset.expiresAt);
      if (isNaN(at)) return;
      var left = at - now;
      el.textContent = left > 0 ? 'expires in ' + human(left).replace(/\.\d s$/, ' s') : 'expired';
      el.dataset.expired = left > 0 ? 'false' : 'true';
    });
  }

  /** Shows a message the server could not render (the request itself failed). */
  function clientMessage(text) {
    var box = document.getElementById('client-message');
    if (!box) return;
    box.textContent = text;
    box.hidden = false;
    clearTimeout(box._timer);
    box._timer = setTimeout(function () { box.hidden = true; }, 8000);
  }

  // ---- fragment refresh (htmx) -----------------------------------------------------------------

  var pending = new Map();

  /** Asks every element marked data-live-refresh (optionally of one kind) to reload its fragment, at most every 300 ms. */
  function refresh(kind) {
    each('[data-live-refresh]', document, function (el) {
      if (kind && el.dataset.liveRefresh && el.dataset.liveRefresh !== kind) return;
      var key = el.id || el;
      if (pending.has(key)) return;
      pending.set(key, setTimeout(function () {
        pending.delete(key);
        var current = el.id ? document.getElementById(el.id) : el;
        if (current && window.htmx) window.htmx.trigger(current, 'cloudops:refresh');
      }, 300));
    });
  }

  // ---- the live stream -------------------------------------------------------------------------

  /**
   * Follows one task (taskId set: replay after afterSeq, then live) or every task (taskId null).
   * WebSocket first; after repeated failures, or when the page URL says ?live=sse, the SSE stream.
   */
  function follow(options) {
    var lastSeq = options.afterSeq || 0;
    var failures = 0;
    var socket = null;
    var source = null;
    var preferSse = /(^|[?&])live=sse(&|$)/.test(location.search);

    function state(value, label) {
      each('[data-live-state]', document, function (el) {
        el.dataset.state = value;
        el.textContent = label;
      });
    }

    function handle(message) {
      if (message.kind === 'resync') { location.reload(); return; }
      if (message.kind === 'subscribed') { if (options.onSubscribed) options.onSubscribed(); return; }
      if (message.kind === 'error') { state('offline', 'live updates unavailable'); return; }
      if (options.taskId) {
        if (typeof message.seq !== 'number' || message.seq <= lastSeq) return;
        lastSeq = message.seq;
      }
      options.onEvent(message);
    }

    function hubUrl() {
      var scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
      var query = options.taskId ? '?taskId=' + encodeURIComponent(options.taskId) + '&afterSeq=' + lastSeq : '';
      return scheme + '//' + location.host + '/hubs/tasks' + query;
    }

    function connectSocket() {
      var opened = false;
      try {
        socket = new WebSocket(hubUrl());
      } catch (e) {
        return connectSse();
      }
      socket.onopen = function () { opened = true; failures = 0; state('live', 'live'); };
      socket.onmessage = function (event) {
        try { handle(JSON.parse(event.data)); } catch (e) { /* a message we do not understand: skip it */ }
      };
      socket.onclose = function () {
        socket = null;
        failures = opened ? 1 : failures + 1;
        if (options.taskId && failures >= WS_FAILURES_BEFORE_SSE) return connectSse();
        state('reconnecting', 'reconnecting…');
        setTimeout(connectSocket, Math.min(RECONNECT_MAX_MS, 500 * Math.pow(2, failures)));
      };
    }

    function connectSse() {
      if (!options.taskId || !window.EventSource) { state('offline', 'offline'); return; }
      source = new EventSource('/api/tasks/' + encodeURIComponent(options.taskId) + '/sse?afterSeq=' + lastSeq);
      source.onopen = function () { state('live', 'live (SSE)'); };
      source.onerror = function () { state('reconnecting', 'reconnecting (SSE)…'); };
      ['task', 'step', 'log'].forEach(function (kind) {
        source.addEventListener(kind, function (event) {
          try { handle(JSON.parse(event.data)); } catch (e) { /* skip */ }
        });
      });
      // the server ends the stream when the task is terminal; EventSource would reconnect for ever
      options.onTerminal = function () { if (source) { source.close(); state('live', 'finished (SSE)'); } };
    }

    if (preferSse && options.taskId) connectSse(); else connectSocket();
    return options;
  }

  // ---- the task page ---------------------------------------------------------------------------

  function taskPage(root) {
    var logs = document.getElementById('task-logs');
    var followLogs = document.querySelector('[data-follow-logs]');
    var maxLines = parseInt((logs && logs.dataset.maxLines) || '500', 10);

    function scrollLogs() {
      if (logs && (!followLogs || followLogs.checked)) logs.scrollTop = logs.scrollHeight;
    }

    function appendLog(event) {
      if (!logs) return;
      var line = document.createElement('li');
      var time = document.createElement('time');
      time.dateTime = event.ts || '';
      time.textContent = event.ts ? localTime(event.ts, false) : '';
      var step = document.createElement('span');
      step.className = 'step-name';
      step.textContent = event.step || '';
      var text = document.createElement('span');
      text.className = 'line';
      text.textContent = event.message || '';
      line.append(time, step, text);
      logs.appendChild(line);
      while (logs.children.length > maxLines) logs.removeChild(logs.firstElementChild);
      scrollLogs();
    }

    function setChip(chip, status) {
      if (!chip) return;
      chip.className = chip.className.replace(/\bchip-[a-z_]+\b/g, '').trim() + ' chip-' + status;
      chip.textContent = status;
    }

    function updateStep(event) {
      var card = null;
      each('#task-timeline [data-step]', document, function (el) {
        if (el.dataset.step === event.step) card = el;
      });
      if (!card) { refresh('task'); return; }
      // a finished step may have produced an output (the plan, its diff): show it while the task runs
      if (event.status === 'succeeded' || event.status === 'failed') refresh('outputs');
      if (event.status) {
        var previous = card.dataset.status;
        card.dataset.status = event.status;
        setChip(card.querySelector('[data-role="status"]'), event.status);
        var started = card.querySelector('[data-role="started"]');
        var finished = card.querySelector('[data-role="finished"]');
        // progress events repeat the status: only a change of status moves the timestamps
        if (event.status === previous) {
          started = finished = null;
        }
        if (event.status === 'running' && started && event.ts) {
          started.dateTime = event.ts;
          started.textContent = localTime(event.ts, false);
          if (finished) { finished.dateTime = ''; finished.textContent = '–'; }
        } else if (/^(succeeded|failed|skipped)$/.test(event.status) && finished && event.ts) {
          finished.dateTime = event.ts;
          finished.textContent = localTime(event.ts, false);
        }
      }
      if (typeof event.percent === 'number') {
        var bar = card.querySelector('.bar');
        if (bar) {
          bar.setAttribute('aria-valuenow', String(event.percent));
          bar.firstElementChild.style.width = event.percent + '%';
        }
      }
      var message = card.querySelector('[data-role="message"]');
      if (message && event.message != null) message.textContent = event.message;
    }

    function updateTask(event, live) {
      setChip(document.querySelector('[data-task-status]'), event.status);
      refresh('task');
      refresh('outputs');
      if (/^(succeeded|failed|cancelled|dead_lettered|superseded|expired|rejected)$/.test(event.status) && live.onTerminal) live.onTerminal();
    }

    var live = follow({
      taskId: root.dataset.taskId,
      afterSeq: parseInt(root.dataset.afterSeq || '0', 10),
      onEvent: function (event) {
        if (event.kind === 'log') appendLog(event);
        else if (event.kind === 'step') updateStep(event);
        else if (event.kind === 'task') updateTask(event, live);
      }
    });
    scrollLogs();
  }

  // ---- pages that list tasks (dashboard, task list) ----------------------------------------------

  function listPage() {
    follow({
      taskId: null,
      // what changed between rendering and subscribing (or while reconnecting) is not replayed
      onSubscribed: refresh,
      onEvent: function (event) {
        if (event.kind === 'task') refresh();
      }
    });
  }

  // ---- dialogs, toasts, htmx glue --------------------------------------------------------------

  function wireDialogs() {
    var dialog = document.getElementById('action-dialog');
    if (!dialog) return;
    document.body.addEventListener('htmx:afterSwap', function (event) {
      if (event.detail.target && event.detail.target.id === 'action-dialog-body' && !dialog.open) {
        dialog.showModal();
        var first = dialog.querySelector('#action-dialog-body input:not([type=hidden]), #action-dialog-body select, #action-dialog-body textarea');
        if (first) first.focus();
      }
    });
    document.addEventListener('click', function (event) {
      if (event.target.closest('[data-close-dialog]')) dialog.close();
    });
    dialog.addEventListener('click', function (event) {
      if (event.target === dialog) dialog.close(); // a click on the backdrop
    });
  }

  /** Progress bars are rendered with aria-valuenow only (the CSP allows no style attribute): draw them. */
  function paintBars(root) {
    each('.bar[aria-valuenow]', root, function (bar) {
      var percent = parseInt(bar.getAttribute('aria-valuenow'), 10);
      if (bar.firstElementChild && !isNaN(percent)) bar.firstElementChild.style.width = Math.max(0, Math.min(100, percent)) + '%';
    });
  }

  /** The page's CSRF token (the cookie is HttpOnly); every request htmx sends carries it as X-CSRF-Token. */
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : null;
  }

  function wireHtmx() {
    // Once the page is being left (a sign-out link, a plain form post), no fragment request may start: its answer
    // could be a 401 with HX-Refresh (the session just ended), and that reload would abort the navigation under way
    // (seen with the sign-out redirect to the identity provider's logout).
    var leaving = false;
    window.addEventListener('beforeunload', function () { leaving = true; });
    window.addEventListener('pageshow', function () { leaving = false; });
    document.body.addEventListener('htmx:beforeRequest', function (event) {
      if (leaving) event.preventDefault();
    });
    document.body.addEventListener('htmx:configRequest', function (event) {
      var token = csrfToken();
      if (token) event.detail.headers['X-CSRF-Token'] = token;
    });
    document.body.addEventListener('htmx:afterSettle', function (event) {
      localizeTimes(event.detail.elt || document);
      paintBars(event.detail.elt || document);
      each('.toast[data-autoclose]', document, function (toast) {
        if (toast._timer) return;
        toast._timer = setTimeout(function () { toast.remove(); }, 10000);
      });
    });
    document.body.addEventListener('htmx:responseError', function (event) {
      var xhr = event.detail.xhr;
      var type = (xhr && xhr.getResponseHeader('Content-Type')) || '';
      if (type.indexOf('text/html') === 0) return; // the server rendered the problem; htmx swapped it in
      if (xhr && (xhr.status === 400 || xhr.status === 403)) clientMessage('This form has expired (its security token is no longer valid): reload the page and try again.');
      else clientMessage('The server answered ' + (xhr ? xhr.status : '?') + '. Reload the page and try again.');
    });
    document.body.addEventListener('htmx:sendError', function () {
      clientMessage('The server cannot be reached. Check the connection and try again.');
    });
  }

  function start() {
    localizeTimes(document);
    paintBars(document);
    tick();
    setInterval(tick, 1000);
    wireDialogs();
    wireHtmx();
    var task = document.getElementById('task-live');
    if (task) taskPage(task);
    else if (document.querySelector('[data-live-refresh]')) listPage();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
