/* web.js — the web edition's script: sidebar drawer and scroll position, filters, full-text search, keyboard.
 * Plain browser JavaScript, no network, no library. The data (taxonomy and each case's text blocks) is the JSON in
 * #huibian-data, built at compile time. Content from cases is only ever set as text (textContent), never as HTML. */
(function () {
  'use strict';
  performance.mark('huibian-start');
  var $ = function (id) { return document.getElementById(id); };
  var dataNode = $('huibian-data');
  if (!dataNode) return;
  var data = JSON.parse(dataNode.textContent || '{}');
  var cases = data.cases || [];
  var byId = {};
  cases.forEach(function (c, i) { c.index = i; byId[c.id] = c; });
  document.documentElement.classList.add('js');

  var sidebar = $('sidebar');
  var menuButton = $('menu-button');
  var input = $('search-input');
  var status = $('list-status');
  var results = $('search-results');
  var sideToc = $('side-toc');
  var filtersBox = $('filters');
  var badge = $('filter-badge');
  var phone = window.matchMedia('(max-width: 900px)');

  /* ---------- Drawer (phone) ---------- */
  function setDrawer(open, focus) {
    document.documentElement.classList.add('drawer-used');
    document.body.classList.toggle('drawer-open', open);
    menuButton.setAttribute('aria-expanded', String(open));
    menuButton.setAttribute('aria-label', open ? '关闭目录与搜索' : '打开目录与搜索');
    if (open && focus !== false) input.focus();
  }
  menuButton.addEventListener('click', function () { setDrawer(!document.body.classList.contains('drawer-open')); });
  sidebar.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[href^="#"]');
    if (a && phone.matches) setDrawer(false);
  });
  // A tap on the page beside the open drawer closes it, as on any phone app.
  document.addEventListener('click', function (e) {
    if (!document.body.classList.contains('drawer-open') || sidebar.contains(e.target) || menuButton.contains(e.target)) return;
    setDrawer(false);
  });

  /* ---------- Collapsible parts ---------- */
  sideToc.addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('.side-toggle');
    if (!b) return;
    var open = b.getAttribute('aria-expanded') !== 'true';
    b.setAttribute('aria-expanded', String(open));
    var list = $(b.getAttribute('aria-controls'));
    if (list) list.hidden = !open;
  });

  /* ---------- Current case on scroll ---------- */
  var articles = Array.prototype.slice.call(document.querySelectorAll('.web-main .case'));
  var sideLinks = {};
  Array.prototype.forEach.call(sideToc.querySelectorAll('a[data-case]'), function (a) { sideLinks[a.getAttribute('data-case')] = a; });
  var current = null;
  function currentArticle() {
    // The last case whose top is above the first fifth of the window (offsetTop grows in book order: binary search).
    var line = window.scrollY + Math.min(120, window.innerHeight / 5);
    var lo = 0, hi = articles.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (articles[mid].getBoundingClientRect().top + window.scrollY <= line) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (found < 0) return null;
    // A case stays current over its previous/next links, until the next case (or the appendix) begins.
    var appendix = $('appendix');
    if (found === articles.length - 1 && appendix && appendix.getBoundingClientRect().top + window.scrollY <= line) return null;
    return articles[found];
  }
  function markCurrent() {
    var a = currentArticle();
    var id = a ? a.id.slice(5) : null;
    if (id === current) return;
    if (current && sideLinks[current]) sideLinks[current].removeAttribute('aria-current');
    current = id;
    var link = id && sideLinks[id];
    if (link) {
      link.setAttribute('aria-current', 'location');
      var box = sidebar.getBoundingClientRect(), r = link.getBoundingClientRect();
      // Scroll the sidebar alone (scrollIntoView could move the page the reader is scrolling).
      if (!phone.matches && (r.top < box.top || r.bottom > box.bottom)) sidebar.scrollTop += r.top - box.top - box.height / 3;
    }
  }
  var ticking = false;
  window.addEventListener('scroll', function () {
    if (ticking) return;
    ticking = true;
    requestAnimationFrame(function () { ticking = false; markCurrent(); });
  }, { passive: true });

  /* ---------- Text folding: full-width Latin and digits to half-width, A–Z to a–z; lengths stay equal ---------- */
  // Full-width punctuation (，：) is left alone: queries type it the same way, and a Chinese text is full of it.
  var foldable = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\u3000A-Z]/;
  function fold(s) {
    if (!foldable.test(s)) return s;
    return s.replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); })
      .replace(/\u3000/g, ' ').replace(/[A-Z]+/g, function (c) { return c.toLowerCase(); });
  }
  var folded = null;
  function foldAll() {
    if (folded) return;
    folded = cases.map(function (c) { return { head: fold(c.title + '\n' + c.unit), blocks: c.blocks.map(fold) }; });
  }

  /* ---------- Filters ---------- */
  var facets = ['sector', 'measure', 'mechanism'];
  var selected = { sector: [], measure: [], mechanism: [] };
  function caseHas(c, facet, value) {
    if (facet === 'sector') return c.sector === value;
    if (facet === 'measure') return c.measures.indexOf(Number(value)) >= 0;
    return c.mechanism === value;
  }
  /** Within a facet any checked value matches; across facets all must. `except` leaves one facet out (for its counts). */
  function passes(c, except) {
    for (var i = 0; i < facets.length; i++) {
      var f = facets[i], values = selected[f];
      if (f === except || values.length === 0) continue;
      if (!values.some(function (v) { return caseHas(c, f, v); })) return false;
    }
    return true;
  }
  function filtering() { return facets.some(function (f) { return selected[f].length > 0; }); }
  function readFilters() {
    facets.forEach(function (f) {
      selected[f] = Array.prototype.map.call(filtersBox.querySelectorAll('input[name="' + f + '"]:checked'), function (i) { return i.value; });
    });
  }
  function writeFilters() {
    Array.prototype.forEach.call(filtersBox.querySelectorAll('input[type="checkbox"]'), function (i) {
      i.checked = selected[i.name].indexOf(i.value) >= 0;
    });
  }
  function updateCounts() {
    Array.prototype.forEach.call(filtersBox.querySelectorAll('input[type="checkbox"]'), function (i) {
      var n = 0;
      for (var k = 0; k < cases.length; k++) if (caseHas(cases[k], i.name, i.value) && passes(cases[k], i.name)) n++;
      var label = i.closest('label');
      label.querySelector('.filter-count').textContent = String(n);
      label.classList.toggle('empty', n === 0 && !i.checked);
    });
    var n = selected.sector.length + selected.measure.length + selected.mechanism.length;
    badge.textContent = n ? '（' + n + '）' : '';
  }
  function filterHash() {
    var parts = [];
    facets.forEach(function (f) { if (selected[f].length) parts.push(f + '=' + selected[f].map(encodeURIComponent).join(',')); });
    return parts.length ? '#filter?' + parts.join('&') : '';
  }
  /** `#filter?sector=soe&measure=5,7`: the count table's links and a reload of a filtered list. */
  function filtersFromHash(hash) {
    if (hash.indexOf('#filter?') !== 0) return false;
    facets.forEach(function (f) { selected[f] = []; });
    hash.slice(8).split('&').forEach(function (pair) {
      var eq = pair.indexOf('='), f = pair.slice(0, eq);
      if (facets.indexOf(f) < 0) return;
      selected[f] = pair.slice(eq + 1).split(',').filter(Boolean).map(function (v) {
        try { return decodeURIComponent(v); } catch (e) { return v; }
      });
    });
    writeFilters();
    return true;
  }
  filtersBox.addEventListener('change', function () {
    readFilters();
    history.replaceState(null, '', filterHash() || location.pathname + location.search);
    refresh();
  });
  $('filter-clear').addEventListener('click', function () {
    facets.forEach(function (f) { selected[f] = []; });
    writeFilters();
    if (location.hash.indexOf('#filter?') === 0) history.replaceState(null, '', location.pathname + location.search);
    refresh();
  });

  /* ---------- Search ---------- */
  var MAX_CASES = 50, MAX_SNIPPETS = 3;
  function terms(q) {
    return fold(q).split(/\s+/).filter(Boolean).filter(function (t, i, all) { return all.indexOf(t) === i; });
  }
  /** Every case (passing the filters) that has every term in its title, unit or body; title hits first, then by hits. */
  function search(q) {
    var ts = terms(q);
    if (!ts.length) return null;
    foldAll();
    var found = [];
    for (var i = 0; i < cases.length; i++) {
      if (!passes(cases[i], null)) continue;
      var f = folded[i], all = true, hits = [], headHits = 0, total = 0;
      for (var t = 0; t < ts.length && all; t++) {
        var inHead = f.head.indexOf(ts[t]) >= 0, inBody = false;
        if (inHead) headHits++;
        for (var b = 0; b < f.blocks.length; b++) if (f.blocks[b].indexOf(ts[t]) >= 0) { inBody = true; break; }
        all = inHead || inBody;
      }
      if (!all) continue;
      // The blocks with a hit, and how many hits came before each (to find the same hit on the page).
      for (var k = 0; k < f.blocks.length; k++) {
        var first = -1, count = 0;
        for (var u = 0; u < ts.length; u++) {
          var at = f.blocks[k].indexOf(ts[u]);
          if (at >= 0 && (first < 0 || at < first)) first = at;
          while (at >= 0) { count++; at = f.blocks[k].indexOf(ts[u], at + ts[u].length); }
        }
        if (count) { hits.push({ block: k, at: first, before: total }); total += count; }
      }
      found.push({ c: cases[i], score: headHits * 1000 + total, hits: hits });
    }
    found.sort(function (a, b) { return b.score - a.score || a.c.index - b.c.index; });
    return { terms: ts, found: found };
  }

  /** `text` with every occurrence of the terms wrapped in <mark>, as DOM nodes. */
  function marked(text, ts, into) {
    var f = fold(text), i = 0;
    while (i < text.length) {
      var best = -1, len = 0;
      for (var t = 0; t < ts.length; t++) {
        var at = f.indexOf(ts[t], i);
        if (at >= 0 && (best < 0 || at < best || (at === best && ts[t].length > len))) { best = at; len = ts[t].length; }
      }
      if (best < 0) break;
      if (best > i) into.appendChild(document.createTextNode(text.slice(i, best)));
      var m = document.createElement('mark');
      m.textContent = text.slice(best, best + len);
      into.appendChild(m);
      i = best + len;
    }
    if (i < text.length) into.appendChild(document.createTextNode(text.slice(i)));
  }
  function snippet(text, at) {
    var start = Math.max(0, at - 24), end = Math.min(text.length, at + 56);
    return (start > 0 ? '…' : '') + text.slice(start, end) + (end < text.length ? '…' : '');
  }

  var lastSearch = null, shown = MAX_CASES;
  function renderResults(r) {
    results.textContent = '';
    var list = document.createElement('ol');
    list.className = 'result-list';
    r.found.slice(0, shown).forEach(function (hit) {
      var li = document.createElement('li');
      li.className = 'result';
      var a = document.createElement('a');
      a.href = '#case-' + hit.c.id;
      a.className = 'result-title';
      a.setAttribute('data-hit', '-1');
      marked(hit.c.title, r.terms, a);
      var unit = document.createElement('span');
      unit.className = 'result-unit';
      marked(hit.c.unit, r.terms, unit);
      li.appendChild(a);
      li.appendChild(unit);
      hit.hits.slice(0, MAX_SNIPPETS).forEach(function (h) {
        var text = hit.c.blocks[h.block];
        var start = Math.max(0, h.at - 24);
        var s = document.createElement('a');
        s.href = '#case-' + hit.c.id;
        s.className = 'result-snippet';
        s.setAttribute('data-hit', String(h.before));
        marked(snippet(text, h.at), r.terms, s);
        if (start > 0) s.setAttribute('data-offset', String(start));
        li.appendChild(s);
      });
      if (hit.hits.length > MAX_SNIPPETS) {
        var more = document.createElement('span');
        more.className = 'result-more';
        more.textContent = '另有 ' + (hit.hits.length - MAX_SNIPPETS) + ' 段';
        li.appendChild(more);
      }
      list.appendChild(li);
    });
    results.appendChild(list);
    if (r.found.length > shown) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'result-show-more';
      button.textContent = '显示更多（还有 ' + (r.found.length - shown) + ' 个案例）';
      button.addEventListener('click', function () { shown += MAX_CASES; renderResults(r); });
      results.appendChild(button);
    }
  }

  /** Show the sidebar list for the current query and filters: search results, or the contents with non-matching cases hidden. */
  function refresh() {
    updateCounts();
    var q = input.value;
    var r = search(q);
    lastSearch = r;
    var filtered = filtering();
    var names = [];
    if (filtered) {
      facets.forEach(function (f) {
        selected[f].forEach(function (v) {
          var box = filtersBox.querySelector('input[name="' + f + '"][value="' + CSS.escape(v) + '"]');
          names.push(box ? box.closest('label').querySelector('.filter-name').textContent.split('\u3000')[0] : v);
        });
      });
    }
    var filterText = filtered ? '筛选（' + names.join('、') + '）' : '';
    if (r) {
      shown = MAX_CASES;
      results.hidden = false;
      sideToc.hidden = true;
      renderResults(r);
      var places = r.found.reduce(function (n, f) { return n + f.hits.length; }, 0);
      status.textContent = r.found.length
        ? (filterText ? filterText + '中' : '') + '找到 ' + r.found.length + ' 个案例，' + places + ' 段'
        : (filterText ? filterText + '中' : '') + '没有找到“' + q.trim() + '”';
    } else {
      results.hidden = true;
      results.textContent = '';
      clearMarks();
      sideToc.hidden = false;
      var n = 0;
      Array.prototype.forEach.call(sideToc.querySelectorAll('.side-part[data-part]'), function (part) {
        var inPart = 0;
        Array.prototype.forEach.call(part.querySelectorAll('a[data-case]'), function (a) {
          var c = byId[a.getAttribute('data-case')];
          var ok = !c || passes(c, null);
          a.parentNode.hidden = !ok;
          if (ok) inPart++;
        });
        part.hidden = inPart === 0;
        part.querySelector('.side-count').textContent = String(inPart);
        n += inPart;
      });
      status.textContent = filtered ? filterText + '：' + n + ' 个案例' : '';
    }
    document.body.classList.toggle('is-filtered', filtered);
  }
  input.addEventListener('input', refresh);
  $('search-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var first = results.querySelector('a');
    if (first) first.click();
  });

  /* ---------- Highlighting the hits in a case, and going to one ---------- */
  function clearMarks() {
    Array.prototype.forEach.call(document.querySelectorAll('mark.hit'), function (m) {
      var parent = m.parentNode;
      parent.replaceChild(document.createTextNode(m.textContent), m);
      parent.normalize();
    });
  }
  function markIn(root, ts) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var marks = [];
    nodes.forEach(function (node) {
      var text = node.nodeValue;
      if (!ts.some(function (t) { return fold(text).indexOf(t) >= 0; })) return;
      var frag = document.createDocumentFragment();
      marked(text, ts, frag);
      Array.prototype.forEach.call(frag.querySelectorAll('mark'), function (m) { m.className = 'hit'; marks.push(m); });
      node.parentNode.replaceChild(frag, node);
    });
    return marks;
  }
  results.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[data-hit]');
    if (!a || !lastSearch) return;
    e.preventDefault();
    var id = a.getAttribute('href').slice(1);
    var article = $(id);
    if (!article) return;
    history.pushState(null, '', '#' + id);
    clearMarks();
    var body = article.querySelector('.case-body') || article;
    markIn(article.querySelector('.case-head') || article, lastSearch.terms);
    var marks = markIn(body, lastSearch.terms);
    var k = Number(a.getAttribute('data-hit'));
    var target = k >= 0 && marks.length ? marks[Math.min(k, marks.length - 1)] : null;
    if (phone.matches) setDrawer(false);
    if (target) {
      target.classList.add('hit-current');
      target.scrollIntoView({ block: 'center' });
    } else {
      article.scrollIntoView();
    }
    article.setAttribute('tabindex', '-1');
    article.focus({ preventScroll: true });
    markCurrent();
  });

  /* ---------- The count table's cells link to the filtered list ---------- */
  var table = document.querySelector('.count-table');
  if (table && data.counts) {
    Array.prototype.forEach.call(table.querySelectorAll('tbody tr'), function (row, r) {
      var sector = data.counts.sectors[r];
      Array.prototype.forEach.call(row.querySelectorAll('td'), function (td, col) {
        var measure = data.counts.measures[col];
        if (!sector || measure === undefined || td.textContent.trim() === '0') return;
        var a = document.createElement('a');
        a.href = '#filter?sector=' + encodeURIComponent(sector) + '&measure=' + measure;
        a.className = 'count-link';
        a.textContent = td.textContent;
        a.setAttribute('aria-label', row.querySelector('th').textContent + '·举措' + measure + '：' + td.textContent + ' 个案例');
        td.textContent = '';
        td.appendChild(a);
      });
    });
  }

  /* ---------- Hash changes: filters from links; cases from deep links ---------- */
  function onHash() {
    if (filtersFromHash(location.hash)) {
      input.value = '';
      refresh();
      filtersBox.open = true;
      if (phone.matches) setDrawer(true);
      var firstCase = sideToc.querySelector('.side-part:not([hidden]) li:not([hidden]) a');
      if (firstCase && !phone.matches) firstCase.focus();
      return;
    }
    markCurrent();
  }
  window.addEventListener('hashchange', onHash);

  /* ---------- Keyboard: / focuses search, Esc clears or closes, ←/→ previous and next case ---------- */
  document.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var inField = /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName) || e.target.isContentEditable;
    if (e.key === 'Escape') {
      if (e.target === input && input.value) { input.value = ''; refresh(); return; }
      if (document.body.classList.contains('drawer-open')) { setDrawer(false); menuButton.focus(); }
      clearMarks();
      return;
    }
    if (inField) return;
    if (e.key === '/' || e.key === 's') {
      e.preventDefault();
      if (phone.matches) setDrawer(true);
      input.focus();
      input.select();
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      var a = currentArticle();
      var i = a ? articles.indexOf(a) : -1;
      var next = articles[e.key === 'ArrowLeft' ? i - 1 : i + 1];
      if (next) {
        e.preventDefault();
        location.hash = next.id;
      }
    }
  });

  /* ---------- Start ---------- */
  var filteredLink = filtersFromHash(location.hash);
  if (!filteredLink) readFilters();
  refresh();
  if (filtering()) filtersBox.open = true;
  // A filtered list opened from a link or a reload: on a phone, show it.
  if (filteredLink && phone.matches) setDrawer(true, false);
  markCurrent();
  // A deep link: once the sidebar has its final size, the case is where it should be (the browser scrolled first).
  if (/^#case-/.test(location.hash)) {
    var target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target) target.scrollIntoView();
    markCurrent();
  }
  // Fold the text table while the reader is still reading, so the first keystroke does not wait for it.
  (window.requestIdleCallback || function (f) { return setTimeout(f, 200); })(foldAll);
  window.huibian = { search: search, refresh: refresh };
  performance.mark('huibian-ready');
})();
