// The console page: sends what is typed or said to the local server, shows and speaks the answer.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);

  // One tab is one device: its id survives a reload of the tab, not a new tab.
  let device = sessionStorage.getItem("console-device");
  if (!device) {
    device = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + "-" + Math.random().toString(16).slice(2));
    sessionStorage.setItem("console-device", device);
  }

  // The conversation the replay link reproduces: turns since the last fresh start, and the
  // settings in force when its first turn was sent.
  let turns = [];
  let startSettings = null;
  let lastState = null;
  let lastVoice = null;
  let busy = false;

  async function post(path, body) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(Object.assign({ device: device }, body || {})),
    });
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    if (!response.ok) {
      throw new Error((data && data.error) || ("The console answered " + response.status + "."));
    }
    return data;
  }

  function showError(message) {
    const box = $("error");
    box.textContent = message || "";
    box.hidden = !message;
  }

  // ---------------------------------------------------------------- speaking
  let speechRun = 0;

  function muted() { return $("mute").checked; }

  function speak(voice) {
    if (!voice || !("speechSynthesis" in window)) return;
    speechRun += 1;
    const run = speechRun;
    window.speechSynthesis.cancel();
    if (muted()) return;
    const parts = voice.parts.slice();
    const next = () => {
      if (run !== speechRun || !parts.length || muted()) return;
      const part = parts.shift();
      const utterance = new SpeechSynthesisUtterance(part.text);
      utterance.lang = "en-US";
      utterance.rate = voice.rate;   // the skill's own slower rate (its SSML prosody)
      utterance.onend = () => setTimeout(next, Math.round(part.pause * 1000));
      window.speechSynthesis.speak(utterance);
    };
    next();
  }

  function stopSpeaking() {
    speechRun += 1;
    if ("speechSynthesis" in window) window.speechSynthesis.cancel();
  }

  // ---------------------------------------------------------------- showing
  function text(id, value) { $(id).textContent = (value === null || value === undefined || value === "") ? "-" : value; }

  function showState(state) {
    lastState = state;
    text("s-session", state.in_session ? "open" : "none (the next sentence starts one)");
    text("s-yes", state.in_session ? state.yes_means : "-");
    text("s-surgery", state.storage !== "ok" ? "storage is not answering"
      : (state.surgery_date ? state.surgery_date_spoken + " (" + state.surgery_date + ")" : "none stored"));
    text("s-today", state.today_spoken + " (" + state.today + (state.today_is_set ? ", set here" : ", real date") + ")");
    if (document.activeElement !== $("surgery-date")) $("surgery-date").value = state.surgery_date || "";
    if (document.activeElement !== $("today-date")) $("today-date").value = state.today_is_set ? state.today : "";
    $("screen-device").checked = state.screen;
    if (!state.screen) showScreen(null);
  }

  // The device's screen: the skill's APL document as the page the renderer drew, scaled to fit.
  let screenSize = null;

  function fitScreen() {
    if (!screenSize) return;
    const holder = $("screen-device-frame");
    const scale = Math.min(1, holder.clientWidth / screenSize.width);
    const frame = $("screen-frame");
    frame.style.width = screenSize.width + "px";
    frame.style.height = screenSize.height + "px";
    frame.style.transform = "scale(" + scale + ")";
    holder.style.height = Math.ceil(screenSize.height * scale) + "px";
  }

  function showScreen(view) {
    $("screen").hidden = !view;
    if (!view) return;
    $("screen-error").textContent = view.error || "";
    $("screen-error").hidden = !view.error;
    $("screen-device-frame").hidden = !!view.error;
    if (view.error) return;
    screenSize = { width: view.width, height: view.height };
    $("screen-frame").srcdoc = view.html;
    fitScreen();
  }
  window.addEventListener("resize", fitScreen);

  function showTurn(turn) {
    const verdict = turn.triage;
    const level = verdict ? verdict.level : "";
    // The answer box is red when the skill gave an emergency answer, not when one was only asked about.
    const box = $("answer-box");
    box.dataset.level = turn.emergency ? "emergency" : (level === "emergency" ? "" : level);
    $("emergency-flag").hidden = !turn.emergency;
    $("answer").textContent = turn.speech || "(no answer)";
    $("session-ended").hidden = !turn.end_session;

    const slots = Object.entries(turn.heard.slots || {}).map(([k, v]) => k + " = " + v).join(", ");
    text("t-request", turn.heard.request_type);
    text("t-intent", turn.heard.intent);
    text("t-slots", slots);
    text("t-confidence", turn.heard.confidence === null ? "" : turn.heard.confidence.toFixed(3));
    const asked = verdict && verdict.what_if && !turn.emergency;
    text("t-level", level + (asked ? " (asked about: what to do if it happens)" : ""));
    $("t-level").dataset.level = asked ? "" : level;
    text("t-family", verdict ? verdict.family : "");
    text("t-matched", verdict ? verdict.matched.join(", ") : "");
    text("t-mentioned", verdict ? verdict.mentioned.join("; ") : "");
    text("t-answer", turn.answer);
    $("t-request-json").textContent = JSON.stringify(turn.request, null, 2);
    $("t-response-json").textContent = JSON.stringify(turn.response, null, 2);

    showScreen(turn.screen);

    const item = document.createElement("li");
    const you = document.createElement("p");
    you.className = "you";
    you.innerHTML = '<span class="who">You:</span> ';
    you.appendChild(document.createTextNode(turn.said));
    const alexa = document.createElement("p");
    alexa.className = "alexa" + (turn.emergency ? " emergency" : "");
    alexa.innerHTML = '<span class="who">Alexa:</span> ';
    alexa.appendChild(document.createTextNode(turn.speech || "(no answer)"));
    item.append(you, alexa);
    $("transcript").append(item);
    showState(turn.state);
  }

  function updateReplayLink() {
    const params = new URLSearchParams();
    for (const said of turns) params.append("say", said);
    if (startSettings && startSettings.today) params.set("today", startSettings.today);
    if (startSettings && startSettings.surgery) params.set("surgery", startSettings.surgery);
    // A screen changes what is shown, never what is said: the link takes the device as it is now.
    if (lastState && lastState.screen) params.set("screen", "1");
    const query = params.toString();
    $("replay-link").href = location.pathname + (query ? "?" + query : "");
  }

  function freshStart(state) {
    turns = [];
    startSettings = null;
    $("transcript").replaceChildren();
    showScreen(null);
    updateReplayLink();
    showState(state);
  }

  // ---------------------------------------------------------------- acting
  async function send(said, speakIt) {
    if (!turns.length && lastState) {
      startSettings = { today: lastState.today_is_set ? lastState.today : "", surgery: lastState.surgery_date };
    }
    const turn = await post("/api/say", { text: said });
    turns.push(said);
    updateReplayLink();
    showTurn(turn);
    lastVoice = turn.voice;
    if (speakIt) speak(turn.voice);
    return turn;
  }

  async function guarded(action) {
    if (busy) return;
    busy = true;
    document.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    try {
      showError("");
      await action();
    } catch (err) {
      showError(err.message);
    } finally {
      busy = false;
      document.querySelectorAll("button").forEach((b) => { b.disabled = false; });
    }
  }

  $("say-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const said = $("say").value.trim();
    if (!said) { showError("Type what you would say first."); return; }
    guarded(async () => {
      await send(said, true);
      $("say").value = "";
      $("say").focus();
    });
  });

  $("new-session").addEventListener("click", () => guarded(async () => {
    stopSpeaking();
    const data = await post("/api/new-session");
    freshStart(data.state);
    $("answer").textContent = "New session: start with \"open spine recovery helper\", or ask a question.";
    $("answer-box").dataset.level = "";
    $("emergency-flag").hidden = true;
  }));

  $("forget").addEventListener("click", () => guarded(async () => {
    stopSpeaking();
    const data = await post("/api/forget");
    freshStart(data.state);
    $("answer").textContent = "Forgotten: the skill deleted everything it kept about you, as when the skill is disabled.";
    $("answer-box").dataset.level = "";
    $("emergency-flag").hidden = true;
  }));

  $("settings-form").addEventListener("submit", (event) => {
    event.preventDefault();
    guarded(async () => {
      const data = await post("/api/settings", {
        today: $("today-date").value,
        surgery_date: $("surgery-date").value,
      });
      showState(data.state);
    });
  });

  // A screen or none, for the device's next answers (the replay link remembers it).
  $("screen-device").addEventListener("change", () => guarded(async () => {
    const data = await post("/api/settings", { screen: $("screen-device").checked });
    showState(data.state);
    updateReplayLink();
  }));

  $("mute").checked = localStorage.getItem("console-mute") === "1";
  $("mute").addEventListener("change", () => {
    localStorage.setItem("console-mute", muted() ? "1" : "0");
    if (muted()) stopSpeaking();
  });
  $("speak-again").addEventListener("click", () => speak(lastVoice));

  // Microphone, where the browser offers speech recognition.
  const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
  if (Recognition) {
    const mic = $("mic");
    mic.hidden = false;
    mic.setAttribute("aria-label", "Speak your question (microphone)");
    let listening = null;
    mic.addEventListener("click", () => {
      if (listening) { listening.stop(); return; }
      stopSpeaking();
      const recognition = new Recognition();
      recognition.lang = "en-US";
      recognition.interimResults = false;
      recognition.maxAlternatives = 1;
      recognition.onresult = (event) => {
        const heard = event.results[0][0].transcript;
        $("say").value = heard;
        guarded(() => send(heard, true));
      };
      recognition.onerror = (event) => showError("The microphone did not work (" + event.error + "). You can type instead.");
      recognition.onend = () => { listening = null; mic.setAttribute("aria-pressed", "false"); mic.textContent = "Speak"; };
      listening = recognition;
      mic.setAttribute("aria-pressed", "true");
      mic.textContent = "Listening... press to stop";
      recognition.start();
    });
  }

  // ---------------------------------------------------------------- on load: state, then any replay
  const replay = JSON.parse($("replay").textContent);
  guarded(async () => {
    if (replay.say.length) {
      const fresh = await post("/api/new-session");
      freshStart(fresh.state);
      const settings = { screen: replay.screen };
      if (replay.today) settings.today = replay.today;
      if (replay.surgery) settings.surgery_date = replay.surgery;
      showState((await post("/api/settings", settings)).state);
      for (let i = 0; i < replay.say.length; i += 1) {
        await send(replay.say[i], i === replay.say.length - 1);
      }
    } else {
      showState((await post("/api/state")).state);
    }
    updateReplayLink();
  });
})();
