// Switchboard live chat widget: plain JavaScript, no build step, no dependencies.
// Embed: <script src="https://switchboard.example.com/widget/chat.js" data-widget-id="WIDGET_ID" async></script>
// or call window.SwitchboardChat.mount({ widgetId, baseUrl, container }).
// Everything shown comes from the network and is untrusted: text goes in through textContent, never as HTML, and
// only http(s) links are made clickable.
(() => {
  const script = document.currentScript;
  const TYPING_SEND_INTERVAL_MS = 2000;
  const TYPING_IDLE_MS = 3000;

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
    .feedback button { padding: 2px 8px; background: #f2f4f7; color: #1d2939; }
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
    const nameInput = element('input', { name: 'name', placeholder: 'Your name (optional)', maxlength: 100 });
    const emailInput = element('input', {
      name: 'email',
      type: 'email',
      placeholder: 'Email (optional)',
      maxlength: 320,
    });
    const startButton = element('button', { type: 'submit', 'data-role': 'start' }, ['Start chat']);
    const startForm = element('form', { class: 'start', 'data-role': 'start-form' }, [
      nameInput,
      emailInput,
      startButton,
    ]);
    const list = element('ol', { 'data-role': 'messages', 'aria-live': 'polite' });
    const typing = element('div', { class: 'typing', 'data-role': 'typing', hidden: '' }, ['Agent is typing…']);
    const input = element('input', {
      name: 'message',
      placeholder: 'Write a message…',
      autocomplete: 'off',
      maxlength: 2000,
      'aria-label': 'Message',
    });
    const sendButton = element('button', { type: 'submit', 'data-role': 'send' }, ['Send']);
    const composer = element('form', { class: 'composer', 'data-role': 'composer' }, [input, sendButton]);
    const up = element('button', { type: 'button', 'data-feedback': 'positive', 'aria-label': 'Good chat' }, ['👍']);
    const down = element('button', { type: 'button', 'data-feedback': 'negative', 'aria-label': 'Bad chat' }, ['👎']);
    const feedback = element('div', { class: 'feedback', 'data-role': 'feedback' }, ['Rate this chat', up, down]);
    const chat = element('div', { class: 'chat', hidden: '' }, [list, typing, composer, feedback]);
    const panel = element('div', { class: options.container ? 'panel' : 'panel floating' }, [
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
        const error = new Error(message || `Request failed (${response.status})`);
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
          say('Your chat session has ended. Start a new one.');
        } else {
          say('Connection lost, retrying…');
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
          feedback.replaceChildren('Thanks for your feedback!');
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
        say(error.status === 404 ? 'This chat is not available.' : error.message);
      }
    })();

    return {
      close() {
        if (stream) stream.close();
        host.remove();
      },
    };
  }

  window.SwitchboardChat = { mount };

  // Auto-mount: the embed code names its widget; the demo page takes it from its own address (?widgetId=…).
  if (script) {
    const baseUrl = new URL(script.src, window.location.href).origin;
    const start = () => {
      if (script.dataset.widgetId) {
        mount({ widgetId: script.dataset.widgetId, baseUrl });
      } else if (script.dataset.demo !== undefined) {
        const widgetId = new URLSearchParams(window.location.search).get('widgetId');
        const container = document.getElementById(script.dataset.demo || 'chat');
        if (widgetId && container) mount({ widgetId, baseUrl, container });
        else if (container) container.textContent = 'Add ?widgetId=… to the address to open a widget.';
      }
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
    else start();
  }
})();
