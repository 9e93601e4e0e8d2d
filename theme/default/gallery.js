/*
 * gallery.js: optional comfort on top of pages that work without it. On a
 * gallery, a thumbnail opens the photo in a lightbox (a modal <dialog>:
 * the arrow keys and the buttons go through the photos, Escape closes it,
 * focus returns to the thumbnail); on a photo's page the arrow keys follow
 * the previous and next links. Nothing here is needed to see any photo.
 */
(function () {
	"use strict";

	function typing(ev) {
		var t = ev.target;
		return ev.altKey || ev.ctrlKey || ev.metaKey || ev.shiftKey ||
			(t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)));
	}

	function followArrows() {
		document.addEventListener("keydown", function (ev) {
			var rel = ev.key === "ArrowLeft" ? "prev" : ev.key === "ArrowRight" ? "next" : null;
			var a = rel && !typing(ev) && document.querySelector(".photo-nav a[rel=" + rel + "]");
			if (a) {
				window.location.href = a.href;
			}
		});
	}

	function button(label, cls) {
		var b = document.createElement("button");
		b.type = "button";
		b.className = cls;
		b.textContent = label;
		return b;
	}

	function lightbox(links) {
		var html = document.documentElement, ru = html.lang === "ru";
		var dialog = document.createElement("dialog");
		var figure = document.createElement("figure");
		var caption = document.createElement("figcaption");
		var bar = document.createElement("div");
		var prev = button(ru ? "← Предыдущая" : "← Previous", "lightbox-prev");
		var next = button(ru ? "Следующая →" : "Next →", "lightbox-next");
		var close = button(ru ? "Закрыть" : "Close", "lightbox-close");
		var current = 0;

		dialog.className = "lightbox";
		bar.className = "lightbox-bar";
		bar.append(prev, next, close);
		dialog.append(bar, figure);
		document.body.append(dialog);

		function show(i) {
			var link = links[(i + links.length) % links.length];
			var pic = link.querySelector("picture").cloneNode(true);
			var cap = link.closest("figure").querySelector("figcaption");
			current = (i + links.length) % links.length;
			pic.querySelectorAll("source, img").forEach(function (el) {
				el.setAttribute("sizes", "100vw");
				el.removeAttribute("loading");
			});
			var page = document.createElement("a");
			page.href = link.href;
			page.textContent = cap ? cap.textContent : link.href;
			caption.replaceChildren(page);
			figure.replaceChildren(pic, caption);
		}

		prev.addEventListener("click", function () { show(current - 1); });
		next.addEventListener("click", function () { show(current + 1); });
		close.addEventListener("click", function () { dialog.close(); });
		dialog.addEventListener("keydown", function (ev) {
			if (ev.key === "ArrowLeft" && !typing(ev)) {
				show(current - 1);
			} else if (ev.key === "ArrowRight" && !typing(ev)) {
				show(current + 1);
			}
		});
		links.forEach(function (link, i) {
			link.addEventListener("click", function (ev) {
				if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) {
					return;
				}
				ev.preventDefault();
				show(i);
				dialog.showModal();
				close.focus();
			});
		});
	}

	var links = Array.prototype.slice.call(document.querySelectorAll(".gallery a"));
	if (links.length && typeof HTMLDialogElement === "function") {
		lightbox(links);
	}
	if (document.querySelector(".photo-nav")) {
		followArrows();
	}
})();
