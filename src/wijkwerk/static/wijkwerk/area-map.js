/*
 * The area map: draws the area's outline (and the areas inside it) with Leaflet.
 *
 * An enhancement only: the page lists the same areas as text, and the figure stays hidden until
 * this script has drawn the map. The outlines come from a <script type="application/json"> block
 * (Django's json_script), so no inline script is needed under the strict CSP. Background tiles
 * are added when they load; without them (offline, blocked) the outlines still show.
 */
(function () {
  "use strict";

  function init() {
    var figure = document.getElementById("area-map");
    var canvas = document.getElementById("area-map-canvas");
    var source = document.getElementById("area-map-data");
    if (!figure || !canvas || !source || typeof window.L === "undefined") {
      return;
    }
    var data;
    try {
      data = JSON.parse(source.textContent);
    } catch (error) {
      return;
    }
    if (!data || !Array.isArray(data.features) || data.features.length === 0) {
      return;
    }

    var style = window.getComputedStyle(document.documentElement);
    var areaColor = style.getPropertyValue("--wijkwerk-map-area-color").trim() || "#0b5394";
    var childColor = style.getPropertyValue("--wijkwerk-map-child-color").trim() || "#4a4f55";

    figure.hidden = false;
    var map = window.L.map(canvas, { scrollWheelZoom: false, attributionControl: true });
    window.L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
    }).addTo(map);

    var layer = window.L.geoJSON(data, {
      style: function (feature) {
        var current = feature.properties && feature.properties.current;
        return {
          color: current ? areaColor : childColor,
          weight: current ? 4 : 2,
          fillOpacity: current ? 0.08 : 0.04,
          dashArray: current ? null : "6 4",
        };
      },
      onEachFeature: function (feature, shape) {
        var props = feature.properties || {};
        if (!props.name) {
          return;
        }
        // Names go in as text nodes, never as HTML: they are residents' input.
        var label = document.createElement("span");
        if (props.url) {
          var link = document.createElement("a");
          link.href = props.url;
          link.textContent = props.name;
          label.appendChild(link);
        } else {
          label.textContent = props.name;
        }
        var tip = document.createElement("span");
        tip.textContent = props.name;
        shape.bindTooltip(tip, { sticky: true });
        shape.bindPopup(label);
      },
    }).addTo(map);

    var bounds = layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [16, 16] });
    } else {
      figure.hidden = true;
    }
    canvas.setAttribute("data-map-ready", "true");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
