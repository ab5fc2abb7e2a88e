// Switchboard live chat widget: plain JavaScript, no build step, no dependencies.
// Embed: <script src="https://switchboard.example.com/widget/chat.js" data-widget-id="WIDGET_ID" async></script>
// or call window.SwitchboardChat.mount({ widgetId, baseUrl, container, lang }). English or Mexican Spanish: `lang`
// (or data-lang="es-MX" on the script tag), else the page's <html lang>, else the browser's language.
// Everything shown comes from the network and is untrusted: text goes in through textContent, never as HTML, and
// only http(s) links are made clickable.
(() => {
  const script = document.currentScript;
  const TYPING_SEND_INTERVAL_MS = 2000;
  const TYPING_IDLE_MS = 3000;

  // Every string the visitor sees, in English and Mexican Spanish (docs/live-chat.md#languages). Both have the same
  // keys; the browser test fails on one missing.
  const STRINGS = {
    en: {
      name: 'Your name (optional)',
      email: 'Email (optional)',
      start: 'Start chat',
      typing: 'Agent is typing…',
      message: 'Message',
      messagePlaceholder: 'Write a message…',
      send: 'Send',
      rate: 'Rate this chat',
      good: 'Good chat',
      bad: 'Bad chat',
      thanks: 'Thanks for your feedback!',
      ended: 'Your chat session has ended. Start a new one.',
      lost: 'Connection lost, retrying…',
      unavailable: 'This chat is not available.',
      failed: 'Request failed ({status})',
      needWidget: 'Add ?widgetId=… to the address to open a widget.',
    },
    'es-MX': {
      name: 'Tu nombre (opcional)',
      email: 'Correo electrónico (opcional)',
      start: 'Iniciar chat',
      typing: 'El agente está escribiendo…',
      message: 'Mensaje',
      messagePlaceholder: 'Escribe un mensaje…',
      send: 'Enviar',
      rate: 'Califica este chat',
      good: 'Buena atención',
      bad: 'Mala atención',
      thanks: '¡Gracias por tu opinión!',
      ended: 'Tu sesión de chat terminó. Inicia una nueva.',
      lost: 'Se perdió la conexión, reintentando…',
      unavailable: 'Este chat no está disponible.',
      failed: 'La solicitud falló ({status})',
      needWidget: 'Agrega ?widgetId=… a la dirección para abrir un widget.',
    },
  };

  /** The widget's language: an explicit choice, else the page's lang, else the browser's; Spanish or English. */
  function pickLanguage(explicit) {
    const candidates = [explicit, document.documentElement.lang, ...(navigator.languages || [navigator.language])];
    for (const tag of candidates) {
      const lower = String(tag || '').toLowerCase();
      if (lower.startsWith('es')) return 'es-MX';
      if (lower.startsWith('en')) return 'en';
    }
    return 'en';
  }

  // Thumbs up and down (Feather icons, MIT): drawn, so they show on machines without an emoji font.
  const ICONS = {
    positive:
      'M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.28a2 2 0 0 0 2-1.7l1.38-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3',
    negative:
      'M10 15v4a3 3 0 0 0 3 3l4-9V2H5.72a2 2 0 0 0-2 1.7l-1.38 9a2 2 0 0 0 2 2.3zm7-13h2.67A2.31 2.31 0 0 1 22 4v7a2.31 2.31 0 0 1-2.33 2H17',
  };

  function icon(name) {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    for (const [key, value] of Object.entries({
      viewBox: '0 0 24 24',
      width: 18,
      height: 18,
      fill: 'none',
      stroke: 'currentColor',
      'stroke-width': 2,
      'stroke-linecap': 'round',
      'stroke-linejoin': 'round',
      'aria-hidden': 'true',
      focusable: 'false',
    })) {
      svg.setAttribute(key, String(value));
    }
    const path = document.createElementNS(ns, 'path');
    path.setAttribute('d', ICONS[name]);
    svg.append(path);
    return svg;
  }

  const STYLE = `
    :host { all: initial; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2939; }
    .panel { display: flex; flex-direction: column; width: 340px; max-width: 100%; height: 460px; background: #fff;
      border: 1px solid #d0d5dd; border-radius: 12px; overflow: hidden; box-shadow: 0 8px 24px rgba(16, 24, 40, .15); }
    .floating { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; }
    header { padding: 12px 16px; color: #fff; font-weight: 600; }
    .status { padding: 4px 16px; font-size: 12px; color: #b42318; min-height: 0; }
    .status:empty { display: none; }
    form.start { display: flex; flex-direction: column; gap: 8px; padding: 16px; }
    .chat { display: flex; flex-direction: column; flex: 1; min-height: 0; }
    ol { list-style: none; margin: 0; padding: 12px; flex: 1; overflow-y: auto; display: flex; flex-direction: column;
      gap: 6px; }
    li { max-width: 80%; padding: 6px 10px; border-radius: 10px; white-space: pre-wrap; overflow-wrap: anywhere; }
    li.agent, li.greeting { align-self: flex-start; background: #f2f4f7; }
    li.visitor { align-self: flex-end; background: #d1e0ff; }
    li a { display: block; color: inherit; }
    .typing { padding: 0 12px 6px; font-size: 12px; color: #667085; font-style: italic; }
    form.composer { display: flex; gap: 6px; padding: 8px; border-top: 1px solid #eaecf0; }
    form.composer input { flex: 1; }
    .feedback { display: flex; gap: 6px; align-items: center; padding: 0 8px 8px; font-size: 12px; color: #667085; }
    input { padding: 7px 9px; border: 1px solid #d0d5dd; border-radius: 6px; font: inherit; }
    button { padding: 7px 12px; border: 0; border-radius: 6px; color: #fff; font: inherit; cursor: pointer; }
    .feedback button { display: inline-flex; align-items: center; padding: 4px 8px; background: #f2f4f7;
      color: #1d2939; }
    .feedback button:hover { background: #e4e7ec; }
    button:focus-visible, input:focus-visible { outline: 2px solid #1d4ed8; outline-offset: 2px; }
    [hidden] { display: none !important; }
  `;

  function element(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== undefined && value !== null) node.setAttribute(name, String(value));
    }
    for (const child of children || []) node.append(child);
    return node;
  }

  function storage(key) {
    return {
      get() {
        try {
          return window.localStorage.getItem(key);
        } catch {
          return null;
        }
      },
      set(value) {
        try {
          if (value === null) window.localStorage.removeItem(key);
          else window.localStorage.setItem(key, value);
        } catch {
          // Private mode: the session lasts as long as the page.
        }
      },
    };
  }

  function mount(options) {
    const widgetId = String(options.widgetId || '');
    const language = pickLanguage(options.lang);
    const text = STRINGS[language];
    const baseUrl = String(options.baseUrl || '').replace(/\/+$/, '');
    const api = (path) => `${baseUrl}/widget/v1${path}`;
    const saved = storage(`switchboard-chat:${widgetId}`);
    let token = saved.get();
    let stream = null;
    let typingSentAt = 0;
    let typingIdle = null;
    let agentTypingTimer = null;
    const messages = new Map();

    const host = options.container || element('div', { id: 'switchboard-chat' });
    if (!options.container) document.body.append(host);
    const root = host.attachShadow({ mode: 'open' });
    const style = element('style');
    style.textContent = STYLE;
    const title = element('header', { 'data-role': 'title' });
    const status = element('div', { class: 'status', role: 'status', 'data-role': 'status' });
    const nameInput = element('input', {
      name: 'name',
      placeholder: text.name,
      'aria-label': text.name,
      maxlength: 100,
    });
    const emailInput = element('input', {
      name: 'email',
      type: 'email',
      placeholder: text.email,
      'aria-label': text.email,
      maxlength: 320,
    });
    const startButton = element('button', { type: 'submit', 'data-role': 'start' }, [text.start]);
    const startForm = element('form', { class: 'start', 'data-role': 'start-form' }, [
      nameInput,
      emailInput,
      startButton,
    ]);
    const list = element('ol', { 'data-role': 'messages', 'aria-live': 'polite' });
    const typing = element('div', { class: 'typing', 'data-role': 'typing', hidden: '' }, [text.typing]);
    const input = element('input', {
      name: 'message',
      placeholder: text.messagePlaceholder,
      autocomplete: 'off',
      maxlength: 2000,
      'aria-label': text.message,
    });
    const sendButton = element('button', { type: 'submit', 'data-role': 'send' }, [text.send]);
    const composer = element('form', { class: 'composer', 'data-role': 'composer' }, [input, sendButton]);
    const rating = (name, label) =>
      element('button', { type: 'button', 'data-feedback': name, 'aria-label': label, title: label }, [icon(name)]);
    const up = rating('positive', text.good);
    const down = rating('negative', text.bad);
    const rateLabel = element('span', { id: `switchboard-rate-${widgetId}` }, [text.rate]);
    const feedback = element(
      'div',
      { class: 'feedback', role: 'group', 'aria-labelledby': rateLabel.id, 'data-role': 'feedback' },
      [rateLabel, up, down],
    );
    const chat = element('div', { class: 'chat', hidden: '' }, [list, typing, composer, feedback]);
    const panel = element('div', { class: options.container ? 'panel' : 'panel floating', lang: language }, [
      title,
      status,
      startForm,
      chat,
    ]);
    root.append(style, panel);

    function say(text) {
      status.textContent = text || '';
    }

    async function call(method, path, body) {
      const headers = { accept: 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(api(path), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) {
        const message = Array.isArray(data.message) ? data.message.join(', ') : data.message;
        const error = new Error(message || text.failed.replace('{status}', String(response.status)));
        error.status = response.status;
        throw error;
      }
      return data;
    }

    function render(message) {
      let item = messages.get(message.id);
      if (!item) {
        item = element('li', { 'data-message-id': message.id });
        messages.set(message.id, item);
        const later = [...list.children].find((other) => (other.dataset.date || '') > (message.dateAdded || ''));
        list.insertBefore(item, later || null);
      }
      item.className = message.from === 'visitor' ? 'visitor' : 'agent';
      item.dataset.from = message.from;
      item.dataset.status = message.status || '';
      item.dataset.date = message.dateAdded || '';
      item.replaceChildren(document.createTextNode(message.body || ''));
      for (const url of message.attachments || []) {
        if (!/^https?:\/\//i.test(url)) continue;
        const link = element('a', { href: url, target: '_blank', rel: 'noopener noreferrer nofollow' });
        link.textContent = url;
        item.append(link);
      }
      if (message.from === 'agent') showAgentTyping(false);
      list.scrollTop = list.scrollHeight;
    }

    function showAgentTyping(isTyping, ttlMs) {
      clearTimeout(agentTypingTimer);
      typing.hidden = !isTyping;
      // The server says when typing stops; should that be lost, stop showing it anyway.
      if (isTyping) agentTypingTimer = setTimeout(() => showAgentTyping(false), (ttlMs || 5000) + 1000);
    }

    function parse(event) {
      try {
        return JSON.parse(event.data);
      } catch {
        return null;
      }
    }

    function openStream() {
      if (stream) stream.close();
      stream = new EventSource(api(`/session/stream?access_token=${encodeURIComponent(token)}`));
      const onMessage = (event) => {
        const message = parse(event);
        if (message?.id) render(message);
      };
      stream.addEventListener('message.created', onMessage);
      stream.addEventListener('message.updated', onMessage);
      stream.addEventListener('typing', (event) => {
        const signal = parse(event);
        if (signal) showAgentTyping(signal.isTyping === true, signal.ttlMs);
      });
      stream.addEventListener('ready', () => {
        host.dataset.connected = 'true';
        say('');
      });
      stream.addEventListener('error', () => {
        host.dataset.connected = 'false';
        // EventSource retries by itself; it gives up only when the server refuses (an expired session).
        if (stream.readyState === EventSource.CLOSED) resume();
      });
    }

    function showChat(history) {
      startForm.hidden = true;
      chat.hidden = false;
      for (const message of history) render(message);
      openStream();
      input.focus();
    }

    async function resume() {
      if (!token) return;
      try {
        const current = await call('GET', '/session');
        showChat(current.messages || []);
      } catch (error) {
        if (error.status === 401) {
          token = null;
          saved.set(null);
          chat.hidden = true;
          startForm.hidden = false;
          say(text.ended);
        } else {
          say(text.lost);
          setTimeout(resume, 5000);
        }
      }
    }

    function sendTyping(isTyping) {
      if (!token) return;
      call('POST', '/session/typing', { isTyping }).catch(() => undefined);
    }

    startForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      startButton.disabled = true;
      try {
        const identity = {};
        if (nameInput.value.trim()) identity.name = nameInput.value.trim();
        if (emailInput.value.trim()) identity.email = emailInput.value.trim();
        const started = await call('POST', `/widgets/${encodeURIComponent(widgetId)}/sessions`, identity);
        token = started.token;
        saved.set(token);
        say('');
        showChat([]);
      } catch (error) {
        say(error.message);
      } finally {
        startButton.disabled = false;
      }
    });

    input.addEventListener('input', () => {
      const now = Date.now();
      if (now - typingSentAt > TYPING_SEND_INTERVAL_MS) {
        typingSentAt = now;
        sendTyping(true);
      }
      clearTimeout(typingIdle);
      typingIdle = setTimeout(() => {
        typingSentAt = 0;
        sendTyping(false);
      }, TYPING_IDLE_MS);
    });

    composer.addEventListener('submit', async (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      sendButton.disabled = true;
      try {
        const sent = await call('POST', '/session/messages', { message: text });
        render(sent.message);
        input.value = '';
        clearTimeout(typingIdle);
        typingSentAt = 0;
        say('');
      } catch (error) {
        say(error.message);
      } finally {
        sendButton.disabled = false;
      }
    });

    for (const button of [up, down]) {
      button.addEventListener('click', async () => {
        try {
          await call('POST', '/session/feedback', { feedback: button.dataset.feedback });
          feedback.replaceChildren(text.thanks);
        } catch (error) {
          say(error.message);
        }
      });
    }

    (async () => {
      try {
        const { widget } = await call('GET', `/widgets/${encodeURIComponent(widgetId)}`);
        title.textContent = widget.title;
        for (const button of [startButton, sendButton]) button.style.background = widget.color;
        title.style.background = widget.color;
        if (widget.greeting) {
          const greeting = element('li', { class: 'greeting', 'data-role': 'greeting' });
          greeting.textContent = widget.greeting;
          list.append(greeting);
        }
        host.dataset.ready = 'true';
        if (token) await resume();
      } catch (error) {
        say(error.status === 404 ? text.unavailable : error.message);
      }
    })();

    return {
      close() {
        if (stream) stream.close();
        host.remove();
      },
    };
  }

  window.SwitchboardChat = { mount, strings: STRINGS };

  // Auto-mount: the embed code names its widget; the demo page takes it from its own address (?widgetId=…).
  if (script) {
    const baseUrl = new URL(script.src, window.location.href).origin;
    const start = () => {
      if (script.dataset.widgetId) {
        mount({ widgetId: script.dataset.widgetId, baseUrl, lang: script.dataset.lang });
      } else if (script.dataset.demo !== undefined) {
        const query = new URLSearchParams(window.location.search);
        const widgetId = query.get('widgetId');
        const lang = query.get('lang') || script.dataset.lang;
        const container = document.getElementById(script.dataset.demo || 'chat');
        if (widgetId && container) mount({ widgetId, baseUrl, container, lang });
        else if (container) container.textContent = STRINGS[pickLanguage(lang)].needWidget;
      }
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
    else start();
  }
})();
