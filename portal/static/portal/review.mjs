// The review screen by keyboard: entering a field selects its value, so typing replaces it; Tab moves on and
// Enter saves the record and opens the next one.
const form = document.getElementById("review-form");
form.addEventListener("focusin", (event) => {
  if (event.target instanceof HTMLInputElement) event.target.select();
});
if (document.activeElement instanceof HTMLInputElement && form.contains(document.activeElement)) {
  document.activeElement.select();
}

// A reading picked from those the readers gave: it becomes the field's value, and the field keeps the focus.
for (const button of form.querySelectorAll("button.reading")) {
  button.addEventListener("click", () => {
    const input = document.getElementById(button.dataset.field);
    input.value = button.dataset.value;
    input.focus();
  });
}
