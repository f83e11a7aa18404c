/* global document, window, URLSearchParams, FormData */
// Keyboard shortcuts for signed-in readers (the one first-party script; CSP script-src 'self').
// Every action is also a plain form on the page: this only drives those forms.
//   j / k  next / previous article     o / Enter  open it     m  toggle read
//   s  toggle star     A  mark all as read     ?  this help
// On an article page the read form marked data-autoread is posted once it has opened.
(function () {
  'use strict';
  var current = -1;
  function items() { return Array.prototype.slice.call(document.querySelectorAll('[data-item]')); }
  function post(form) {
    var body = new URLSearchParams(new FormData(form));
    return fetch(form.action, { method: 'POST', body: body, headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error('status ' + r.status); return r.json(); });
  }
  function toggle(form, kind) {
    var input = form.querySelector('input[name="' + kind + '"]');
    var button = form.querySelector('button');
    var on = input.value === '1';
    return post(form).then(function () {
      input.value = on ? '0' : '1';
      if (kind === 'read') button.textContent = on ? 'Mark unread' : 'Mark read';
      else { button.textContent = on ? 'Unstar' : 'Star'; button.setAttribute('aria-pressed', on ? 'true' : 'false'); }
      var item = form.closest('[data-item]');
      if (item) item.classList.toggle(kind === 'read' ? 'is-read' : 'is-starred', on);
      announce(kind === 'read' ? (on ? 'Marked read' : 'Marked unread') : (on ? 'Starred' : 'Star removed'));
    }).catch(function () { form.submit(); });
  }
  var live;
  function announce(text) {
    if (!live) {
      live = document.createElement('p');
      live.className = 'visually-hidden';
      live.setAttribute('role', 'status');
      document.body.appendChild(live);
    }
    live.textContent = text;
  }
  function select(i) {
    var list = items();
    if (!list.length) return;
    current = Math.max(0, Math.min(list.length - 1, i));
    list.forEach(function (el, n) { el.classList.toggle('is-current', n === current); });
    var link = list[current].querySelector('a');
    if (link) link.focus();
    list[current].scrollIntoView({ block: 'nearest' });
  }
  function scopeForm(selector) {
    var list = items();
    var el = current >= 0 && list[current] ? list[current] : document;
    return el.querySelector(selector) || document.querySelector(selector);
  }
  var help;
  function toggleHelp() {
    if (!help) {
      help = document.createElement('section');
      help.className = 'kbd-help';
      help.setAttribute('role', 'dialog');
      help.setAttribute('aria-label', 'Keyboard shortcuts');
      var h = document.createElement('h2');
      h.textContent = 'Keyboard shortcuts';
      help.appendChild(h);
      var dl = document.createElement('dl');
      [['j / k', 'next / previous article'], ['o or Enter', 'open the article'], ['m', 'mark read or unread'], ['s', 'star or unstar'],
        ['A', 'mark all as read'], ['?', 'show or hide this help']].forEach(function (row) {
        var dt = document.createElement('dt'); dt.textContent = row[0];
        var dd = document.createElement('dd'); dd.textContent = row[1];
        dl.appendChild(dt); dl.appendChild(dd);
      });
      help.appendChild(dl);
      help.hidden = true;
      document.querySelector('main').prepend(help);
    }
    help.hidden = !help.hidden;
  }
  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(t.tagName))) return;
    var list = items();
    var k = e.key;
    if (k === 'j') select(current + 1);
    else if (k === 'k') select(current < 0 ? 0 : current - 1);
    else if ((k === 'o' || k === 'Enter') && current >= 0 && list[current]) {
      if (k === 'Enter' && t && t.tagName === 'A') return; // the link opens itself
      var a = list[current].querySelector('a.item-title');
      if (a) window.location.assign(a.href);
    } else if (k === 'm' || k === 's') {
      var f = scopeForm(k === 'm' ? 'form[data-action="read"]' : 'form[data-action="star"]');
      if (f) toggle(f, k === 'm' ? 'read' : 'star');
    } else if (k === 'A') {
      var all = document.querySelector('form[data-action="mark-all"]');
      if (all) all.submit();
    } else if (k === '?') toggleHelp();
    else if (k === 'Escape' && help && !help.hidden) help.hidden = true;
    else return;
    e.preventDefault();
  });
  var auto = document.querySelector('form[data-autoread]');
  if (auto) toggle(auto, 'read');
})();
