// Progressive enhancement: a Leaflet map to point at the initiative's spot. It fills the hidden
// latitude and longitude fields; the address field stays the way to say where (and the only one
// without JavaScript). A line under the map says whether a spot is marked; a button removes it.
(function () {
  "use strict";
  function init() {
    var element = document.getElementById("location-map");
    var lat = document.querySelector("[data-map-latitude]");
    var lng = document.querySelector("[data-map-longitude]");
    var status = document.getElementById("location-status");
    var clear = document.getElementById("location-clear");
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
    function show() {
      if (status) {
        status.hidden = false;
        status.textContent = marker ? status.dataset.chosen : status.dataset.none;
      }
      if (clear) {
        clear.hidden = !marker;
      }
    }
    map.on("click", function (event) {
      var point = event.latlng;
      lat.value = point.lat.toFixed(6);
      lng.value = point.lng.toFixed(6);
      if (marker) {
        marker.setLatLng(point);
      } else {
        marker = window.L.marker(point).addTo(map);
      }
      show();
    });
    if (clear) {
      clear.addEventListener("click", function () {
        lat.value = "";
        lng.value = "";
        if (marker) {
          map.removeLayer(marker);
          marker = null;
        }
        show();
      });
    }
    show();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
