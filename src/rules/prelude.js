// The Rules and Actions runtime: runs in a fresh global before any user script. Auth0's rule
// globals (configuration, global, UnauthorizedError, auth0, console) are defined here.
'use strict';
function __latchkey_pipeline(text, fns) {
  const stringify = JSON.stringify;
  const input = JSON.parse(text);
  const logs = [];
  const updates = [];
  let current = '';
  const format = (v) => {
    if (typeof v === 'string') return v;
    try { return stringify(v) ?? String(v); } catch (e) { return String(v); }
  };
  const write = (...args) => { logs.push([current, args.map(format).join(' ')]); };
  const record = (kind, userId, metadata) => {
    updates.push({kind, user_id: String(userId), metadata: JSON.parse(stringify(metadata ?? {}))});
    return Promise.resolve();
  };
  class UnauthorizedError extends Error {
    constructor(message) { super(message); this.name = 'UnauthorizedError'; }
  }
  Object.assign(globalThis, {
    UnauthorizedError,
    configuration: Object.freeze({...input.configuration}),
    global: {},
    console: {log: write, info: write, warn: write, error: write, debug: write},
    auth0: {users: {
      updateAppMetadata: (id, m) => record('app_metadata', id, m),
      updateUserMetadata: (id, m) => record('user_metadata', id, m),
    }},
  });
  const failed = (script, error) =>
      ({outcome: 'failed', script, message: `${script}: ${error instanceof Error ? error : format(error)}`});

  const runRule = (fn, user, context) => new Promise((resolve) => {
    let done = false;
    const callback = (err, u, c) => {
      if (!done) { done = true; resolve({err, user: u ?? user, context: c ?? context}); }
    };
    try {
      const returned = fn(user, context, callback);
      // An async rule that throws rejects its promise instead: treat that as callback(err).
      if (typeof returned?.then === 'function') {
        returned.then(undefined, (err) => callback(err ?? new Error('rejected')));
      }
    } catch (err) {
      callback(err ?? new Error('throw'));
    }
  });

  async function rules(state) {
    for (const {name, fn} of input.rules.map((name, i) => ({name, fn: fns[i]}))) {
      current = name;
      const step = await runRule(fn, state.user, state.context);
      if (step.err) {
        return step.err instanceof UnauthorizedError ?
            {outcome: 'denied', description: String(step.err.message)} : failed(name, step.err);
      }
      state.user = step.user;
      state.context = step.context;
    }
    if (state.context.multifactor) {
      write('context.multifactor is not supported and was ignored');
    }
    const url = state.context.redirect?.url;
    return url ? {outcome: 'redirect', url: String(url)} : {outcome: 'ok'};
  }

  function event(state, secrets) {
    const c = state.context;
    return {
      user: state.user,
      client: {client_id: c.clientID, name: c.clientName, metadata: c.clientMetadata ?? {}},
      connection: {name: c.connection, strategy: c.connectionStrategy},
      request: {ip: c.request?.ip, user_agent: c.request?.userAgent, hostname: c.request?.hostname,
                query: c.request?.query ?? {}, body: c.request?.body ?? {}},
      transaction: {requested_scopes: String(c.request?.query?.scope ?? '').split(' ').filter(Boolean),
                    protocol: c.protocol},
      stats: {logins_count: c.stats?.loginsCount},
      authentication: c.authentication,
      secrets: Object.freeze({...secrets}),
      tenant: {id: c.tenant},
    };
  }

  function api(state, verdict) {
    const setMetadata = (kind) => (key, value) => {
      state.user[kind] = {...state.user[kind], [key]: value};
      record(kind, state.user.user_id, {[key]: value});
    };
    return {
      idToken: {setCustomClaim: (k, v) => { state.context.idToken[k] = v; }},
      accessToken: {setCustomClaim: (k, v) => { state.context.accessToken[k] = v; }},
      access: {deny: (reason) => { verdict.denied ??= String(reason ?? ''); }},
      user: {setAppMetadata: setMetadata('app_metadata'), setUserMetadata: setMetadata('user_metadata')},
      redirect: {sendUserTo: (url, options) => {
        const query = Object.entries(options?.query ?? {})
            .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        const target = String(url);
        verdict.redirect = query ? `${target}${target.includes('?') ? '&' : '?'}${query}` : target;
      }},
    };
  }

  async function actions(state) {
    let resuming = input.resumed_action ?? null;
    for (const [i, {name, secrets}] of input.actions.entries()) {
      current = name;
      const module = {exports: {}};
      try {
        fns[input.rules.length + i](module.exports, module);
        const handlerName = resuming === name ? 'onContinuePostLogin' : 'onExecutePostLogin';
        const handler = resuming !== null && resuming !== name ? null : module.exports[handlerName];
        if (resuming === name) resuming = null;
        if (typeof handler !== 'function') continue;
        const verdict = {};
        await handler(event(state, secrets), api(state, verdict));
        if (verdict.denied !== undefined) return {outcome: 'denied', description: verdict.denied};
        if (verdict.redirect) return {outcome: 'redirect', url: verdict.redirect, action: name};
      } catch (err) {
        return failed(name, err);
      }
    }
    return {outcome: 'ok'};
  }

  async function pipeline() {
    const state = {user: input.user, context: input.context};
    state.user.app_metadata ??= {};
    state.user.user_metadata ??= {};
    state.context.idToken ??= {};
    state.context.accessToken ??= {};
    let result = await rules(state);
    if (result.outcome === 'ok') result = await actions(state);
    return stringify({...result, user: state.user, context: state.context, updates, logs});
  }
  return pipeline();
}
