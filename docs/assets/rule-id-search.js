// A rule id, as every check report prints it (vcop-arrest-notice), typed into the search box puts that rule's page
// first in the results. The full-text search splits ids at hyphens and ranks by word counts, so an id on its own
// can come after pages that share its words; this adds the exact match at the top. The ids and titles come from
// assets/rule-ids.js, written when the site is built.
(function () {
  "use strict";
  var MARK = "data-charter-rule-id";

  function siteRoot() {
    var script = document.querySelector("script[src*='assets/rule-ids.js']");
    return script ? new URL("..", script.src) : new URL(".", document.baseURI);
  }

  function ruleItem(id, rule) {
    var item = document.createElement("li");
    item.className = "md-search-result__item";
    item.setAttribute(MARK, id);
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = new URL(rule.path, siteRoot()).href;
    link.tabIndex = -1;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    article.setAttribute("data-md-score", "1000000000");  // Enter opens the highest score: this one
    var title = document.createElement("h1");
    title.textContent = rule.title;  // text, never markup
    var note = document.createElement("p");
    note.textContent = "The rule with id " + id + ".";
    article.appendChild(title);
    article.appendChild(note);
    link.appendChild(article);
    item.appendChild(link);
    return item;
  }

  function update(list, input) {
    var rules = window.charterRuleIds || {};
    var id = (input.value || "").trim().toLowerCase();
    var rule = Object.prototype.hasOwnProperty.call(rules, id) ? rules[id] : null;
    var current = list.querySelector("[" + MARK + "]");
    if (current && (!rule || current.getAttribute(MARK) !== id)) {
      current.remove();
      current = null;
    }
    if (rule && (!current || list.firstElementChild !== current)) {
      if (current) current.remove();
      list.insertBefore(ruleItem(id, rule), list.firstElementChild);
    }
  }

  function start() {
    var list = document.querySelector(".md-search-result__list");
    var input = document.querySelector("input.md-search__input");
    if (!list || !input) return;
    var busy = false;
    new MutationObserver(function () {
      if (busy) return;
      busy = true;
      try { update(list, input); } finally { busy = false; }
    }).observe(list, { childList: true });
    input.addEventListener("input", function () { update(list, input); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
