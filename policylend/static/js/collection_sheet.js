/* The collection sheet, typed with the keyboard only (transaction_sessions/sheet_entry.html).
 *
 * A cell selects its content when it gets the focus, so typing replaces the amount; Enter moves
 * down the same column and Shift+Enter up (Tab and Shift+Tab keep the browser's order across the
 * row); Ctrl+Enter or Alt+S posts the sheet. The totals of the columns and the grand total follow
 * every keystroke. Without this script the page is a plain form that posts the same fields.
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-sheet]");
  if (!form) {
    return;
  }
  var language = document.documentElement.lang || "vi";
  var numbers;
  try {
    numbers = new Intl.NumberFormat(language === "vi" ? "vi-VN" : language === "hi" ? "hi-IN" : "en-US");
  } catch (error) {
    numbers = new Intl.NumberFormat();
  }

  function cells(column) {
    return Array.prototype.slice.call(form.querySelectorAll('input[data-col="' + column + '"]'));
  }

  // An amount as typed: every digit counts, "." and "," only group thousands (whole dong).
  function amountOf(input) {
    var digits = (input.value || "").replace(/[^0-9]/g, "");
    return digits ? parseInt(digits, 10) : 0;
  }

  function refresh() {
    var all = 0;
    ["interest", "principal", "savings"].forEach(function (column) {
      var sum = cells(column).reduce(function (total, input) {
        return total + amountOf(input);
      }, 0);
      all += sum;
      var target = form.querySelector('[data-total="' + column + '"]');
      if (target) {
        target.textContent = numbers.format(sum);
      }
    });
    var grand = form.querySelector('[data-total="all"]');
    if (grand) {
      grand.textContent = numbers.format(all);
    }
  }

  function move(input, step) {
    var column = cells(input.dataset.col);
    var next = column[column.indexOf(input) + step];
    if (next) {
      next.focus();
    }
  }

  function post() {
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  var posting = false;
  form.addEventListener("submit", function (event) {
    // One post per page: a second click waits for the first answer (the key makes it safe anyway).
    if (posting) {
      event.preventDefault();
    }
    posting = true;
  });

  form.addEventListener("focusin", function (event) {
    if (event.target.matches("input[data-col]")) {
      event.target.select();
    }
  });

  form.addEventListener("input", function (event) {
    if (event.target.matches("input[data-col]")) {
      refresh();
    }
  });

  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if ((event.key === "Enter" && (event.ctrlKey || event.metaKey)) ||
        (event.altKey && (event.key === "s" || event.key === "S" || event.code === "KeyS"))) {
      event.preventDefault();
      post();
      return;
    }
    if (event.key !== "Enter" || event.altKey) {
      return;
    }
    if (target.matches("input[data-col]")) {
      event.preventDefault();
      move(target, event.shiftKey ? -1 : 1);
    } else if (target.tagName === "INPUT") {
      // Enter in another field (handed over by) does not post by accident.
      event.preventDefault();
    }
  });

  refresh();
  // The cell focused on load (autofocus) may have had the focus before this script ran.
  if (document.activeElement && document.activeElement.matches("input[data-col]")) {
    document.activeElement.select();
  }
})();
