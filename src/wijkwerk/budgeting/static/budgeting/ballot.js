// The ballot's meter (budgeting/voting/ballot.html): while choosing, the amount of the chosen
// plans (a knapsack ballot) or the points given (a points ballot) is counted here and announced
// politely (aria-live). Without JavaScript the button "Bedrag bijwerken" sends the ballot back
// and the server counts; the server checks the ballot either way.
// The receipt page: a button copies the receipt code.
(function () {
  "use strict";

  // As the server writes amounts (core.money.format_money): "€ 32.000,00", kept on one line.
  function money(cents) {
    var sign = cents < 0 ? "-" : "";
    var whole = Math.floor(Math.abs(cents) / 100);
    var rest = Math.abs(cents) % 100;
    var grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return "€\u00a0" + sign + grouped + "," + (rest < 10 ? "0" : "") + rest;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : match;
    });
  }

  function setUpMeter(form, meter) {
    var kind = meter.getAttribute("data-kind");
    var budget = parseInt(meter.getAttribute("data-budget"), 10);
    var sentence = meter.querySelector(".ballot-meter__sentence");
    var text = meter.querySelector(".ballot-meter__text");
    var bar = meter.querySelector("meter");
    var update = meter.querySelector(".ballot-meter__update");
    var warning = meter.querySelector(".ballot-meter__warning");
    var warningText = warning ? warning.textContent : meter.getAttribute("data-warning");
    var last = sentence.textContent;

    function total() {
      var sum = 0;
      if (kind === "money") {
        form.querySelectorAll("input.ballot-choice:checked").forEach(function (box) {
          sum += parseInt(box.getAttribute("data-cost"), 10) || 0;
        });
      } else {
        form.querySelectorAll("input.ballot-points").forEach(function (field) {
          var value = field.value.trim();
          if (/^\d+$/.test(value)) {
            sum += parseInt(value, 10);
          }
        });
      }
      return sum;
    }

    function show() {
      var sum = total();
      var over = sum > budget;
      var write = kind === "money" ? money : String;
      var line = fill(meter.getAttribute(over ? "data-over" : "data-under"), {
        total: write(sum),
        budget: write(budget),
        left: write(budget - sum),
        over: write(sum - budget),
      });
      if (line === last) {
        return;
      }
      last = line;
      meter.classList.toggle("ballot-meter--over", over);
      bar.value = Math.min(sum, budget);
      // One change of the live region's text: the new sentence, with the warning in front.
      text.textContent = "";
      if (over) {
        var strong = document.createElement("span");
        strong.className = "ballot-meter__warning";
        strong.textContent = warningText;
        text.appendChild(strong);
        text.appendChild(document.createTextNode(" "));
      }
      var span = document.createElement("span");
      span.className = "ballot-meter__sentence";
      span.textContent = line;
      text.appendChild(span);
    }

    if (update) {
      update.hidden = true; // counted live now
    }
    form.addEventListener("change", show);
    form.addEventListener("input", show);
    show();
  }

  function setUpCopy(button) {
    var code = document.getElementById("receipt-code");
    var status = document.getElementById("receipt-copy-status");
    if (!code || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(code.textContent.trim()).then(function () {
        status.textContent = button.getAttribute("data-copied");
      });
    });
  }

  var form = document.getElementById("ballot");
  var meter = document.getElementById("ballot-meter");
  if (form && meter) {
    setUpMeter(form, meter);
  }
  var copy = document.getElementById("receipt-copy");
  if (copy) {
    setUpCopy(copy);
  }
})();
