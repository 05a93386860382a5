// Progressive enhancement: a Leaflet map to pick the initiative's spot. Without JavaScript (or
// without map tiles) the latitude and longitude fields still work on their own.
(function () {
  "use strict";
  function init() {
    var element = document.getElementById("location-map");
    var lat = document.querySelector("[data-map-latitude]");
    var lng = document.querySelector("[data-map-longitude]");
    if (!element || !lat || !lng || typeof window.L === "undefined") {
      return;
    }
    element.hidden = false;
    element.setAttribute("role", "application");
    element.setAttribute("aria-label", element.dataset.label || "");
    var start = lat.value && lng.value ? [parseFloat(lat.value.replace(",", ".")), parseFloat(lng.value.replace(",", "."))] : [51.64, 4.86];
    var map = window.L.map(element).setView(start, lat.value ? 16 : 12);
    window.L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: "&copy; OpenStreetMap"
    }).addTo(map);
    var marker = lat.value ? window.L.marker(start).addTo(map) : null;
    map.on("click", function (event) {
      var point = event.latlng;
      lat.value = point.lat.toFixed(6);
      lng.value = point.lng.toFixed(6);
      if (marker) {
        marker.setLatLng(point);
      } else {
        marker = window.L.marker(point).addTo(map);
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
