// The admin's export page (templates/admin/ekspor.html): "Pilih semua" ticks or clears every
// column. A file, not an inline handler, so the page keeps to the Content-Security-Policy.
document.addEventListener("DOMContentLoaded", function () {
  var semua = document.getElementById("ekspor-semua");
  if (!semua) return;
  var boxes = document.querySelectorAll(".ekspor-pilihan input[type=checkbox]");
  semua.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = semua.checked; });
  });
  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      semua.checked = Array.prototype.every.call(boxes, function (b) { return b.checked; });
    });
  });
});
