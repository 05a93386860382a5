/*
 * The initiatives list's map: a marker for each initiative on the page that has a place.
 *
 * An enhancement only: the list below it shows the same initiatives (and those without a place),
 * and the figure stays hidden until this script has drawn the map. The points come from a
 * <script type="application/json"> block (Django's json_script), so no inline script is needed
 * under the strict CSP. Markers can be reached with the keyboard (Tab, then Enter opens the
 * link); titles go in as text, never as HTML. Tiles as on the area map.
 */
(function () {
  "use strict";

  function init() {
    var figure = document.getElementById("initiatives-map");
    var canvas = document.getElementById("initiatives-map-canvas");
    var source = document.getElementById("initiatives-map-data");
    if (!figure || !canvas || !source || typeof window.L === "undefined") {
      return;
    }
    var data;
    try {
      data = JSON.parse(source.textContent);
    } catch (error) {
      return;
    }
    var points = (Array.isArray(data) ? data : []).filter(function (point) {
      return isFinite(point.lat) && isFinite(point.lng);
    });
    if (points.length === 0) {
      return;
    }

    figure.hidden = false;
    var labels = figure.dataset;
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var map = window.L.map(canvas, {
      scrollWheelZoom: false,
      attributionControl: true,
      zoomControl: false,
      fadeAnimation: !still,
      zoomAnimation: !still,
      markerZoomAnimation: !still,
    });
    // the page's language, not Leaflet's English
    window.L.control
      .zoom({ zoomInTitle: labels.zoomIn || "+", zoomOutTitle: labels.zoomOut || "-" })
      .addTo(map);
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close && labels.close) {
        close.setAttribute("aria-label", labels.close);
        close.setAttribute("title", labels.close);
      }
    });
    window.L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
    }).addTo(map);
    var icon = window.L.icon({
      iconUrl: figure.dataset.icon,
      iconRetinaUrl: figure.dataset.iconRetina,
      shadowUrl: figure.dataset.shadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      shadowSize: [41, 41],
    });

    var markers = points.map(function (point) {
      var marker = window.L.marker([point.lat, point.lng], {
        icon: icon,
        title: point.title,
        alt: point.title,
        keyboard: true,
      });
      var link = document.createElement("a");
      link.className = "utrecht-link";
      link.href = point.url;
      link.textContent = point.title;
      marker.bindPopup(link);
      return marker;
    });
    var group = window.L.featureGroup(markers).addTo(map);
    if (points.length === 1) {
      map.setView([points[0].lat, points[0].lng], 15);
    } else {
      map.fitBounds(group.getBounds(), { padding: [24, 24], maxZoom: 16 });
    }
    canvas.setAttribute("data-map-ready", "true");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
