// Take payment: the total being taken and the cash change due, as the cashier types.
(function () {
  const form = document.querySelector("[data-pay-form]");
  if (!form) return;
  const read = (name) => {
    const input = form.querySelector(`[name="${name}"]`);
    const value = parseFloat((input && input.value || "").replace(/[$,]/g, ""));
    return Number.isFinite(value) ? value : 0;
  };
  const money = (value) => "$" + value.toFixed(2);
  const total = form.querySelector("[data-pay-total]");
  const change = form.querySelector("[data-change-due]");
  function update() {
    const sum = ["cash_amount", "card_amount", "check_amount", "other_amount"]
      .map(read).reduce((a, b) => a + b, 0);
    total.textContent = money(sum);
    const tendered = read("cash_tendered");
    change.textContent = money(tendered > read("cash_amount") ? tendered - read("cash_amount") : 0);
  }
  form.addEventListener("input", update);
  update();
})();
