(function () {
  "use strict";
  // kg's configuration arrives as JSON data; the endpoint is this server's own /sparql.
  var CONFIG = JSON.parse(document.getElementById("kg-config").textContent);
  var endpoint = new URL(CONFIG.endpoint, window.location.href).href;
  var prefixes = new URL(CONFIG.prefixes, window.location.href).href;
  Yasgui.Yasqe.defaults.prefixCcApi = prefixes;          // prefix completion from kg, not from prefix.cc
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];   // no Linked Open Vocabularies look-ups
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: {endpoint: endpoint, method: "POST"},
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: {getData: function () { return [{endpoint: endpoint}]; }, keys: []},
    persistenceId: null,
    populateFromUrl: false,
    autofocus: true
  });
  // One tab per example query (the first, a starter query, replaces YASGUI's empty tab).
  var first = yasgui.getTab();
  first.setName(CONFIG.tabs[0].name);
  first.setQuery(CONFIG.tabs[0].query);
  first.setEndpoint(endpoint);
  CONFIG.tabs.slice(1).forEach(function (t) {
    // A tab that is not shown has no editor yet: its query goes in with its configuration.
    yasgui.addTab(false, {name: t.name, yasqe: {value: t.query}, requestConfig: {endpoint: endpoint}});
  });
  window.kg = {yasgui: yasgui, config: CONFIG};
})();
