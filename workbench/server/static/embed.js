// Bot Workbench web chat for any site:
//   <script src="https://YOUR-BOT-SERVER/chat.js" async></script>
// adds a chat button in the corner that opens the server's /chat in a frame (the chat runs on
// the bot server's origin: the site needs no CORS settings and shares nothing with it).
"use strict";
(function () {
  const script = document.currentScript;
  if (!script || document.querySelector("[data-workbench-chat]")) return;
  const origin = new URL(script.src, location.href).origin;
  const box = document.createElement("div");
  box.dataset.workbenchChat = "";
  box.style.cssText = "position:fixed;right:20px;bottom:20px;z-index:2147483000;font:15px system-ui,sans-serif";
  const frame = document.createElement("iframe");
  frame.src = origin + "/chat";
  frame.title = "Chat";
  frame.hidden = true;
  frame.style.cssText = "width:360px;height:520px;max-height:80vh;border:0;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);background:#fff;display:block;margin-bottom:10px";
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = script.dataset.label || "Chat";
  button.style.cssText = "float:right;padding:10px 18px;border:0;border-radius:22px;background:#2f6fde;color:#fff;font:inherit;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.2)";
  button.addEventListener("click", function () { frame.hidden = !frame.hidden; });
  box.appendChild(frame);
  box.appendChild(button);
  document.body.appendChild(box);
})();
