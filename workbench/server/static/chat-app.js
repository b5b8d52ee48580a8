// Bot Workbench web chat. Everything the user or the bot wrote is put in the page as text
// (textContent), never as markup; URLs are used only when they are http(s) (images: data:image
// too). The socket reconnects with the position of the last row shown, so a server restart
// loses and repeats nothing; messages not yet acknowledged are sent again with the same
// message_id, which the server answers once.
"use strict";
(function () {
  const params = new URLSearchParams(location.search);
  const storageKey = "workbench-chat-conversation";
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  function conversationId() {
    const given = params.get("conversation");
    if (given && /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$/.test(given)) return given;
    let id = null;
    try { id = localStorage.getItem(storageKey); } catch (e) { id = null; }
    if (!id) {
      id = newId();
      try { localStorage.setItem(storageKey, id); } catch (e) { /* private mode */ }
    }
    return id;
  }

  const cid = conversationId();
  const log = document.querySelector(".wb-log");
  const typing = document.querySelector(".wb-typing");
  const status = document.querySelector(".wb-status");
  const form = document.querySelector(".wb-form");
  const input = document.querySelector(".wb-input");
  document.body.dataset.conversation = cid;

  let socket = null;
  let after = { turn: 0, seq: -1 };
  let pending = [];  // {text, message_id} not acknowledged yet
  let retry = 250;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function safeUrl(value, image) {
    if (typeof value !== "string" || !value) return null;
    if (image && /^data:image\/(png|gif|jpeg|webp);/i.test(value)) return value;
    try {
      const url = new URL(value, location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) { return null; }
  }
  function image(src, alt) {
    const url = safeUrl(src, true);
    if (!url) return null;
    const img = el("img", "wb-image");
    img.src = url;
    img.alt = alt ? String(alt) : "";
    img.loading = "lazy";
    return img;
  }
  function choiceButton(title, className) {
    const button = el("button", className, title);
    button.type = "button";
    button.addEventListener("click", function () { send(String(title)); });
    return button;
  }
  function buttons(list) {
    const box = el("div", "wb-choices");
    for (const b of list || []) {
      if (b && b.url) {
        const href = safeUrl(b.url, false);
        if (!href) continue;
        const a = el("a", "wb-button", b.title || href);
        a.href = href; a.target = "_blank"; a.rel = "noopener noreferrer";
        box.appendChild(a);
      } else if (b && b.title) {
        box.appendChild(choiceButton(b.title, "wb-button"));
      }
    }
    return box;
  }
  function card(data) {
    const box = el("div", "wb-card");
    const img = image(data.image, data.title);
    if (img) box.appendChild(img);
    if (data.title) box.appendChild(el("div", "wb-card-title", data.title));
    if (data.subtitle) box.appendChild(el("div", "wb-card-subtitle", data.subtitle));
    if (data.buttons && data.buttons.length) box.appendChild(buttons(data.buttons));
    return box;
  }
  function reply(data) {
    const item = el("li", "wb-msg wb-bot");
    item.dataset.type = String(data.type || "text");
    if (data.type === "card") {
      item.appendChild(card(data));
    } else if (data.type === "carousel") {
      if (data.text) item.appendChild(el("div", "wb-bubble", data.text));
      const row = el("div", "wb-carousel");
      for (const each of data.cards || []) row.appendChild(card(each));
      item.appendChild(row);
    } else if (data.type === "image") {
      const img = image(data.image, data.title);
      if (img) item.appendChild(img);
      if (data.title) item.appendChild(el("div", "wb-bubble", data.title));
    } else {
      item.appendChild(el("div", "wb-bubble", data.text || ""));
      if (data.choices && data.choices.length) {
        const box = el("div", "wb-choices");
        for (const c of data.choices) box.appendChild(choiceButton(c.title, "wb-choice"));
        item.appendChild(box);
      }
    }
    return item;
  }
  function show(event) {
    let item;
    if (event.type === "user") {
      item = el("li", "wb-msg wb-user");
      item.appendChild(el("div", "wb-bubble", event.text));
    } else {
      item = reply(event.payload && event.payload.type ? event.payload : { type: "text", text: event.text });
    }
    item.dataset.turn = String(event.turn);
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }
  function setStatus(state, text) {
    status.dataset.state = state;
    status.textContent = text;
    document.body.dataset.state = state;
  }
  function deliver(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }
  function send(text) {
    const message = { type: "message", text: text, message_id: newId() };
    pending.push(message);
    deliver(message);
  }
  function connect() {
    const base = location.origin.replace(/^http/, "ws");
    const url = base + "/api/v1/conversations/" + encodeURIComponent(cid) + "/ws?after_turn=" +
      after.turn + "&after_seq=" + after.seq;
    setStatus("connecting", "connecting…");
    socket = new WebSocket(url);
    socket.onopen = function () {
      retry = 250;
      setStatus("open", "online");
      for (const message of pending) deliver(message);
    };
    socket.onmessage = function (frame) {
      let data;
      try { data = JSON.parse(frame.data); } catch (e) { return; }
      if (data.type === "event") {
        const event = data.event;
        if (event.turn > after.turn || (event.turn === after.turn && event.seq > after.seq)) {
          after = { turn: event.turn, seq: event.seq };
          if (event.type === "bot") typing.hidden = true;
          show(event);
        }
      } else if (data.type === "typing") {
        typing.hidden = false;
      } else if (data.type === "ack") {
        pending = pending.filter(function (m) { return m.message_id !== data.message_id; });
        typing.hidden = true;
      } else if (data.type === "error") {
        typing.hidden = true;
        pending = pending.filter(function (m) { return m.message_id !== data.message_id; });
        const item = el("li", "wb-msg wb-error");
        item.appendChild(el("div", "wb-bubble", data.error));
        log.appendChild(item);
      }
    };
    socket.onclose = function () {
      setStatus("closed", "reconnecting…");
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 5000);
    };
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    send(text);
  });
  connect();
})();
