// The query page: YASGUI on /sparql, an API key field, and the analyst questions as examples.
(function () {
  "use strict";
  var config = JSON.parse(document.body.getAttribute("data-config"));
  var keyInput = document.getElementById("key");
  keyInput.value = sessionStorage.getItem("innograph-key") || "";
  keyInput.addEventListener("change", function () { sessionStorage.setItem("innograph-key", keyInput.value); });

  if (typeof Yasgui === "undefined") { return; }
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: {
      endpoint: config.endpoint,
      method: "POST",
      headers: function () {
        var key = keyInput.value.trim();
        return key ? { Authorization: "Bearer " + key } : {};
      }
    },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } }
  });

  function open(example) {
    var tab = yasgui.addTab(true, { name: example.name });
    tab.show();
    tab.getYasqe().setValue(example.query);
  }

  fetch("/sparql-ui/examples.json").then(function (r) { return r.json(); }).then(function (examples) {
    var list = document.getElementById("examples");
    examples.forEach(function (example) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = example.question;
      button.title = example.name;
      button.addEventListener("click", function () { open(example); });
      item.appendChild(button);
      list.appendChild(item);
    });
    if (!localStorage.getItem("innograph-sparql-seen") && examples.length) {
      localStorage.setItem("innograph-sparql-seen", "1");
      yasgui.getTab().getYasqe().setValue(examples[0].query);
    }
  });
})();
