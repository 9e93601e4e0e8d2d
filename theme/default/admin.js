// The editor's autosave and shortcuts. The pages work without this file:
// it only keeps a copy of what is typed (never a save) and adds Ctrl+S.
"use strict";

(function () {
	var form = document.getElementById("editor");
	if (!form || !form.dataset.autosave) {
		return;
	}
	var status = document.getElementById("autosave-status");
	var last = new URLSearchParams(new FormData(form)).toString();
	var sending = false;
	var submitting = false;
	var dirty = false;

	function say(text) {
		if (status) {
			status.textContent = text;
		}
	}

	function autosave() {
		var body = new URLSearchParams(new FormData(form)).toString();
		if (sending || submitting || body === last) {
			return;
		}
		sending = true;
		fetch(form.dataset.autosave, {
			method: "POST",
			credentials: "same-origin",
			headers: {"Content-Type": "application/x-www-form-urlencoded"},
			body: body
		}).then(function (res) {
			if (!res.ok) {
				throw new Error("status " + res.status);
			}
			return res.text();
		}).then(function (text) {
			last = body;
			dirty = false;
			say(text.trim() + " (a copy, not saved)");
		}).catch(function (err) {
			say("Autosave failed (" + err.message + "); keep this page open and save.");
		}).finally(function () {
			sending = false;
		});
	}

	form.addEventListener("input", function () {
		dirty = true;
	});
	form.addEventListener("submit", function () {
		submitting = true;
	});
	setInterval(autosave, 10000);
	document.addEventListener("visibilitychange", function () {
		if (document.visibilityState === "hidden") {
			autosave();
		}
	});
	window.addEventListener("beforeunload", function (ev) {
		if (dirty && !submitting) {
			autosave();
			ev.preventDefault();
			ev.returnValue = "";
		}
	});
	document.addEventListener("keydown", function (ev) {
		if (!(ev.ctrlKey || ev.metaKey) || ev.altKey) {
			return;
		}
		var key = ev.key.toLowerCase();
		var button = form.querySelector("button[data-key='" + key + "']");
		if (button) {
			ev.preventDefault();
			form.requestSubmit(button);
		}
	});
}());
