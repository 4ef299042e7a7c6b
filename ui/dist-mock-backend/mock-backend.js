var __defProp = Object.defineProperty;
var __defNormalProp = (obj, key, value) => key in obj ? __defProp(obj, key, { enumerable: true, configurable: true, writable: true, value }) : obj[key] = value;
var __publicField = (obj, key, value) => __defNormalProp(obj, typeof key !== "symbol" ? key + "" : key, value);
(function() {
  "use strict";
  function mockInternals() {
    var _a, _b;
    window.__TAURI_INTERNALS__ = (_a = window.__TAURI_INTERNALS__) !== null && _a !== void 0 ? _a : {};
    window.__TAURI_EVENT_PLUGIN_INTERNALS__ = (_b = window.__TAURI_EVENT_PLUGIN_INTERNALS__) !== null && _b !== void 0 ? _b : {};
  }
  function mockIPC(cb, options) {
    mockInternals();
    function isEventPluginInvoke(cmd) {
      return cmd.startsWith("plugin:event|");
    }
    function handleEventPlugin(cmd, args2) {
      switch (cmd) {
        case "plugin:event|listen":
          return handleListen(args2);
        case "plugin:event|emit":
          return handleEmit(args2);
        case "plugin:event|unlisten":
          return handleRemoveListener(args2);
      }
    }
    const listeners = /* @__PURE__ */ new Map();
    function handleListen(args2) {
      if (!listeners.has(args2.event)) {
        listeners.set(args2.event, []);
      }
      listeners.get(args2.event).push(args2.handler);
      return args2.handler;
    }
    function handleEmit(args2) {
      const eventListeners = listeners.get(args2.event) || [];
      for (const handler of [...eventListeners]) {
        runCallback(handler, { ...args2, id: handler });
      }
      return null;
    }
    function handleRemoveListener(args2) {
      const eventListeners = listeners.get(args2.event);
      if (eventListeners) {
        const index = eventListeners.indexOf(args2.eventId);
        if (index !== -1) {
          eventListeners.splice(index, 1);
        }
      }
    }
    async function invoke(cmd, args2, _options) {
      if ((options === null || options === void 0 ? void 0 : options.shouldMockEvents) && isEventPluginInvoke(cmd)) {
        return handleEventPlugin(cmd, args2);
      }
      return cb(cmd, args2);
    }
    const callbacks = /* @__PURE__ */ new Map();
    function registerCallback(callback, once = false) {
      const identifier = window.crypto.getRandomValues(new Uint32Array(1))[0];
      callbacks.set(identifier, (data) => {
        if (once) {
          unregisterCallback(identifier);
        }
        return callback && callback(data);
      });
      return identifier;
    }
    function unregisterCallback(id) {
      callbacks.delete(id);
    }
    function runCallback(id, data) {
      const callback = callbacks.get(id);
      if (callback) {
        callback(data);
      } else {
        console.warn(`[TAURI] Couldn't find callback id ${id}. This might happen when the app is reloaded while Rust is running an asynchronous operation.`);
      }
    }
    function unregisterListener(event, id) {
      unregisterCallback(id);
    }
    window.__TAURI_INTERNALS__.invoke = invoke;
    window.__TAURI_INTERNALS__.transformCallback = registerCallback;
    window.__TAURI_INTERNALS__.unregisterCallback = unregisterCallback;
    window.__TAURI_INTERNALS__.runCallback = runCallback;
    window.__TAURI_INTERNALS__.callbacks = callbacks;
    window.__TAURI_EVENT_PLUGIN_INTERNALS__.unregisterListener = unregisterListener;
  }
  function clearMocks() {
    if (typeof window.__TAURI_INTERNALS__ !== "object") {
      return;
    }
    delete window.__TAURI_INTERNALS__.invoke;
    delete window.__TAURI_INTERNALS__.transformCallback;
    delete window.__TAURI_INTERNALS__.unregisterCallback;
    delete window.__TAURI_INTERNALS__.runCallback;
    delete window.__TAURI_INTERNALS__.callbacks;
    delete window.__TAURI_INTERNALS__.convertFileSrc;
    delete window.__TAURI_INTERNALS__.metadata;
    if (typeof window.__TAURI_EVENT_PLUGIN_INTERNALS__ !== "object") {
      return;
    }
    delete window.__TAURI_EVENT_PLUGIN_INTERNALS__.unregisterListener;
  }
  const MAPPED = {
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "ł": "l",
    "þ": "th",
    "ı": "i",
    "ς": "σ",
    "'": "",
    "’": "",
    "ʼ": "",
    "`": "",
    "´": "",
    "ʻ": "",
    "ـ": ""
  };
  const ALNUM = /^[\p{L}\p{N}]$/u;
  function fold(s) {
    const stripped = s.normalize("NFKD").replace(new RegExp("\\p{M}", "gu"), "").normalize("NFC").toLowerCase();
    let out = "";
    let pendingSpace = false;
    for (const c of stripped) {
      const mapped = MAPPED[c];
      if (mapped !== void 0) {
        if (mapped !== "") {
          if (pendingSpace && out !== "") out += " ";
          pendingSpace = false;
          out += mapped;
        }
        continue;
      }
      if (ALNUM.test(c)) {
        if (pendingSpace && out !== "") out += " ";
        pendingSpace = false;
        out += c;
      } else {
        pendingSpace = true;
      }
    }
    return out;
  }
  function foldWords(s) {
    return fold(s).split(" ").filter((w) => w !== "");
  }
  const DIGIT_ZEROS = [48, 65296, 1632, 1776, 2406];
  function digits(s) {
    let out = "";
    for (const c of s) {
      const cp = c.codePointAt(0) ?? 0;
      for (const zero of DIGIT_ZEROS) {
        if (cp >= zero && cp <= zero + 9) {
          out += String(cp - zero);
          break;
        }
      }
    }
    return out;
  }
  typeof SuppressedError === "function" ? SuppressedError : function(error, suppressed, message) {
    var e = new Error(message);
    return e.name = "SuppressedError", e.error = error, e.suppressed = suppressed, e;
  };
  var TauriEvent;
  (function(TauriEvent2) {
    TauriEvent2["WINDOW_RESIZED"] = "tauri://resize";
    TauriEvent2["WINDOW_MOVED"] = "tauri://move";
    TauriEvent2["WINDOW_CLOSE_REQUESTED"] = "tauri://close-requested";
    TauriEvent2["WINDOW_DESTROYED"] = "tauri://destroyed";
    TauriEvent2["WINDOW_FOCUS"] = "tauri://focus";
    TauriEvent2["WINDOW_BLUR"] = "tauri://blur";
    TauriEvent2["WINDOW_SCALE_FACTOR_CHANGED"] = "tauri://scale-change";
    TauriEvent2["WINDOW_THEME_CHANGED"] = "tauri://theme-changed";
    TauriEvent2["WINDOW_CREATED"] = "tauri://window-created";
    TauriEvent2["WINDOW_SUSPENDED"] = "tauri://suspended";
    TauriEvent2["WINDOW_RESUMED"] = "tauri://resumed";
    TauriEvent2["WEBVIEW_CREATED"] = "tauri://webview-created";
    TauriEvent2["DRAG_ENTER"] = "tauri://drag-enter";
    TauriEvent2["DRAG_OVER"] = "tauri://drag-over";
    TauriEvent2["DRAG_DROP"] = "tauri://drag-drop";
    TauriEvent2["DRAG_LEAVE"] = "tauri://drag-leave";
  })(TauriEvent || (TauriEvent = {}));
  var UserAttentionType;
  (function(UserAttentionType2) {
    UserAttentionType2[UserAttentionType2["Critical"] = 1] = "Critical";
    UserAttentionType2[UserAttentionType2["Informational"] = 2] = "Informational";
  })(UserAttentionType || (UserAttentionType = {}));
  var ProgressBarStatus;
  (function(ProgressBarStatus2) {
    ProgressBarStatus2["None"] = "none";
    ProgressBarStatus2["Normal"] = "normal";
    ProgressBarStatus2["Indeterminate"] = "indeterminate";
    ProgressBarStatus2["Paused"] = "paused";
    ProgressBarStatus2["Error"] = "error";
  })(ProgressBarStatus || (ProgressBarStatus = {}));
  var BackgroundThrottlingPolicy;
  (function(BackgroundThrottlingPolicy2) {
    BackgroundThrottlingPolicy2["Disabled"] = "disabled";
    BackgroundThrottlingPolicy2["Throttle"] = "throttle";
    BackgroundThrottlingPolicy2["Suspend"] = "suspend";
  })(BackgroundThrottlingPolicy || (BackgroundThrottlingPolicy = {}));
  var ScrollBarStyle;
  (function(ScrollBarStyle2) {
    ScrollBarStyle2["Default"] = "default";
    ScrollBarStyle2["FluentOverlay"] = "fluentOverlay";
  })(ScrollBarStyle || (ScrollBarStyle = {}));
  var Effect;
  (function(Effect2) {
    Effect2["AppearanceBased"] = "appearanceBased";
    Effect2["Light"] = "light";
    Effect2["Dark"] = "dark";
    Effect2["MediumLight"] = "mediumLight";
    Effect2["UltraDark"] = "ultraDark";
    Effect2["Titlebar"] = "titlebar";
    Effect2["Selection"] = "selection";
    Effect2["Menu"] = "menu";
    Effect2["Popover"] = "popover";
    Effect2["Sidebar"] = "sidebar";
    Effect2["HeaderView"] = "headerView";
    Effect2["Sheet"] = "sheet";
    Effect2["WindowBackground"] = "windowBackground";
    Effect2["HudWindow"] = "hudWindow";
    Effect2["FullScreenUI"] = "fullScreenUI";
    Effect2["Tooltip"] = "tooltip";
    Effect2["ContentBackground"] = "contentBackground";
    Effect2["UnderWindowBackground"] = "underWindowBackground";
    Effect2["UnderPageBackground"] = "underPageBackground";
    Effect2["LiquidGlassRegular"] = "liquidGlassRegular";
    Effect2["LiquidGlassClear"] = "liquidGlassClear";
    Effect2["Mica"] = "mica";
    Effect2["Blur"] = "blur";
    Effect2["Acrylic"] = "acrylic";
    Effect2["Tabbed"] = "tabbed";
    Effect2["TabbedDark"] = "tabbedDark";
    Effect2["TabbedLight"] = "tabbedLight";
  })(Effect || (Effect = {}));
  var EffectState;
  (function(EffectState2) {
    EffectState2["FollowsWindowActiveState"] = "followsWindowActiveState";
    EffectState2["Active"] = "active";
    EffectState2["Inactive"] = "inactive";
  })(EffectState || (EffectState = {}));
  const MOCK_APP_INFO = {
    name: "Dermis",
    version: "0.1.0",
    db_path: "/home/clinic/.local/share/org.dermis.app/dermis.db",
    log_dir: "/home/clinic/.local/share/org.dermis.app/logs"
  };
  function appHandlers() {
    return {
      app_info: () => structuredClone(MOCK_APP_INFO),
      show_logs: () => null
    };
  }
  const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  function parts(iso) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (!match) return null;
    return { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
  }
  function isIsoDate(iso) {
    const p = parts(iso);
    if (!p) return false;
    const date = new Date(Date.UTC(p.y, p.m - 1, p.d));
    return date.getUTCFullYear() === p.y && date.getUTCMonth() === p.m - 1 && date.getUTCDate() === p.d;
  }
  function toUtc(iso) {
    const p = parts(iso);
    if (!p) throw new RangeError(`not a date: ${iso}`);
    return new Date(Date.UTC(p.y, p.m - 1, p.d));
  }
  function fromUtc(date) {
    const pad2 = (n, w = 2) => String(n).padStart(w, "0");
    return `${pad2(date.getUTCFullYear(), 4)}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}`;
  }
  function addDays(iso, days) {
    const date = toUtc(iso);
    date.setUTCDate(date.getUTCDate() + days);
    return fromUtc(date);
  }
  function addMonths(iso, months) {
    const p = parts(iso);
    if (!p) throw new RangeError(`not a date: ${iso}`);
    const index = p.y * 12 + (p.m - 1) + months;
    const y = Math.floor(index / 12);
    const m = index - y * 12;
    const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
    return fromUtc(new Date(Date.UTC(y, m, Math.min(p.d, last))));
  }
  function daysBetween(a, b) {
    return Math.round((toUtc(b).getTime() - toUtc(a).getTime()) / 864e5);
  }
  function weekdayOf(iso) {
    return WEEKDAYS[(toUtc(iso).getUTCDay() + 6) % 7];
  }
  class MockError {
    constructor(code, message, fields = []) {
      __publicField(this, "code");
      __publicField(this, "message");
      __publicField(this, "field");
      __publicField(this, "fields");
      var _a;
      this.code = code;
      this.message = message;
      this.field = ((_a = fields[0]) == null ? void 0 : _a.field) ?? null;
      this.fields = fields;
    }
    plain() {
      return { code: this.code, message: this.message, field: this.field, fields: this.fields };
    }
  }
  function validationError(fields) {
    var _a;
    return new MockError("validation", ((_a = fields[0]) == null ? void 0 : _a.message) ?? "The input is not valid.", fields);
  }
  const AFTERCARE_PLACEHOLDERS = [
    '{treatment_date}: the treatment date, e.g. "Tuesday 24 November 2026"',
    '{no_makeup_until}: the end of the 48-hour rest (treatment + 2 days), e.g. "Thursday 26 November"',
    '{no_retinol_until}: one week after the treatment, e.g. "Tuesday 1 December"',
    '{next_appointment}: the next booked appointment, e.g. "Tuesday 29 December at 14:30", or "not booked yet"',
    "{clinic_name}: the clinic's name from the letterhead",
    "{clinic_phone}: the clinic's phone number"
  ];
  const DEFAULT_AFTERCARE_TEMPLATE = `# The first 48 hours (until {no_makeup_until})
- No direct sun, no makeup, no harsh skincare products.
- Cleanse gently; hydrate with a mild moisturiser or a hyaluronic acid serum.
# What to expect
- Redness or swelling like a light sunburn for a day or two is expected.
- Flaking or dryness within a few days is normal.
# The next weeks
- Protect your skin from UV with a broad-spectrum sunscreen.
- No exfoliation and no retinol until {no_retinol_until}.
# Call {clinic_name} on {clinic_phone}
- If you notice signs of infection, severe pain or blistering.`;
  function arg$2(a, key) {
    if (!(key in a)) throw new MockError("internal", `invalid args \`${key}\`: missing required key ${key}`);
    return a[key];
  }
  const clean = (s) => String(s ?? "").trim().split(/\s+/u).filter(Boolean).join(" ");
  const big = (n) => n;
  const PNG_BYTES = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 0]);
  function createAdmin(ctx) {
    const audit = [];
    const auditBrokenAt = { id: null };
    const details = {
      name: ctx.clinicName() ?? "",
      address: "12 Harley Street\nLondon W1G 9PF",
      phone: "+44 20 7946 0000",
      email: ""
    };
    const clinicSettings = {
      paper: "a4",
      aftercare_template: "",
      idle_lock_minutes: 10,
      backups_kept: 14,
      backup_folder: ""
    };
    const logo = { bytes: new Uint8Array() };
    const documents = [];
    const consultations = [];
    const checkedIn = /* @__PURE__ */ new Map();
    const backupFiles = {};
    const printed = [];
    const lock = { locked: false, failures: 0 };
    let nextAuditId = 1;
    let nextDocumentId = 1;
    let nextAppointmentId = 1;
    function log(username, action, entity, entityId, detail = "", at) {
      const item = { id: nextAuditId++, at: at ?? ctx.now(), username, action, entity, entity_id: entityId, detail };
      audit.push(item);
      return item;
    }
    function signedIn() {
      const s = ctx.session();
      if (!s) throw new MockError("forbidden", "Sign in to continue.");
      return s;
    }
    function requireAdmin(what) {
      const s = signedIn();
      if (!s.roles.includes("admin"))
        throw new MockError("forbidden", `Your account is not allowed to ${what}. Ask the clinic's administrator.`);
      return s;
    }
    function isOpen(d) {
      return ctx.planSettings.open_weekdays.includes(weekdayOf(d)) && !ctx.planSettings.closed_dates.includes(d);
    }
    function view() {
      return {
        details: structuredClone(details),
        settings: structuredClone(clinicSettings),
        has_logo: logo.bytes.length > 0,
        default_aftercare_template: DEFAULT_AFTERCARE_TEMPLATE,
        aftercare_placeholders: [...AFTERCARE_PLACEHOLDERS]
      };
    }
    function userInfo(u) {
      return { id: u.id, username: u.username, display_name: u.display_name, roles: [...u.roles], active: u.active !== false };
    }
    function userNamed(username) {
      const u = ctx.users.find((x) => x.username === username);
      if (!u) throw new MockError("not_found", `There is no account "${username}".`);
      return u;
    }
    function checkPassword(errors, password) {
      if (password.trim() === "") errors.push({ field: "password", message: "Enter a password." });
      else if ([...password].length < 10)
        errors.push({
          field: "password",
          message: "A password needs at least 10 characters; a short sentence is easy to remember."
        });
    }
    function planOfSession(sessionId) {
      for (const plan of ctx.plans) {
        const s = plan.sessions.find((x) => x.id === sessionId);
        if (s) return { plan, date: s.date };
      }
      throw new MockError("not_found", `Session ${sessionId} was not found; it may have been removed.`);
    }
    function record(patientId, kind, title, by) {
      documents.push({
        id: nextDocumentId++,
        patient_id: patientId,
        kind,
        title,
        pages: kind === "progress_summary" ? 2 : 1,
        bytes: 48e3,
        printed_by: by,
        printed_at: ctx.now()
      });
    }
    function render(req) {
      const s = signedIn();
      const by = s.display_name;
      switch (req.kind) {
        case "aftercare": {
          const { plan, date } = planOfSession(req.session_id);
          const p = ctx.findPatient(plan.patient_id);
          record(p.id, "aftercare", `Aftercare sheet, treatment ${date}`, by);
          log(s.username, "document.print", "patient", String(p.id), "aftercare");
          return { file_name: `aftercare-${p.patient_number}-${date}.pdf`, pages: 1, patients: 1, bytes: 48e3 };
        }
        case "aftercare_on": {
          const p = ctx.findPatient(req.patient_id);
          if (!isIsoDate(req.date))
            throw validationError([{ field: "date", message: `"${req.date}" is not a date; use the form YYYY-MM-DD.` }]);
          record(p.id, "aftercare", `Aftercare sheet, treatment ${req.date}`, by);
          return { file_name: `aftercare-${p.patient_number}-${req.date}.pdf`, pages: 1, patients: 1, bytes: 48e3 };
        }
        case "today": {
          const day = req.date || ctx.today;
          const entries = ctx.baseCalendar({ from: day, to: day }).filter((e) => e.status !== "cancelled");
          if (!entries.length)
            throw validationError([{ field: "date", message: `There are no sessions booked on ${day}: nothing to print.` }]);
          for (const e of entries) record(e.patient_id, "aftercare", `Aftercare sheet, treatment ${day} (day's batch)`, by);
          return { file_name: `aftercare-all-${day}.pdf`, pages: entries.length, patients: entries.length, bytes: 48e3 * entries.length };
        }
        case "progress_summary": {
          if (!s.roles.some((r) => r === "admin" || r === "practitioner"))
            throw new MockError("forbidden", "Your account is not allowed to print progress summaries. Ask the clinic's administrator.");
          const p = ctx.findPatient(req.patient_id);
          if (!ctx.plans.some((x) => x.patient_id === p.id))
            throw validationError([{ field: "patient_id", message: "This patient has no plan yet: a progress summary follows a plan." }]);
          record(p.id, "progress_summary", "Progress summary", by);
          return { file_name: `progress-${p.patient_number}-${ctx.today}.pdf`, pages: 2, patients: 1, bytes: 96e3 };
        }
        case "schedule_card": {
          const p = ctx.findPatient(req.patient_id);
          if (!ctx.plans.some((x) => x.patient_id === p.id))
            throw validationError([{ field: "patient_id", message: "This patient has no plan yet: there are no dates to print." }]);
          record(p.id, "schedule_card", "Schedule card", by);
          return { file_name: `schedule-${p.patient_number}.pdf`, pages: 1, patients: 1, bytes: 32e3 };
        }
      }
    }
    function backupAt(path) {
      const known = backupFiles[path];
      if (known && "code" in known) throw new MockError(known.code, known.message);
      if (known) return structuredClone(known);
      if (!/\.db$/i.test(path))
        throw new MockError("validation", `${path} cannot be restored: it is not a database file at all.`, [
          { field: "path", message: `${path} cannot be restored: it is not a database file at all.` }
        ]);
      return {
        path,
        schema_version: big(9),
        patients: big(ctx.patients.length),
        sessions: big(12),
        bytes: 1572864,
        photos: big(4),
        photos_missing: big(0)
      };
    }
    function folderPath(raw, field) {
      const v = String(raw ?? "").trim();
      if (!v.startsWith("/") && !/^[A-Za-z]:[\\/]/.test(v))
        throw validationError([{ field, message: "Choose a folder (a full path such as /media/usb)." }]);
      return v;
    }
    function consultationEntries(day) {
      return consultations.filter((c) => c.date === day).map((c) => {
        const p = ctx.findPatient(c.patient_id);
        return {
          ...c,
          patient_number: p.patient_number,
          first_name: p.first_name,
          last_name: p.last_name,
          phone: p.phone
        };
      }).sort((a, b) => (a.time ?? "~") < (b.time ?? "~") ? -1 : (a.time ?? "~") > (b.time ?? "~") ? 1 : a.appointment_id - b.appointment_id);
    }
    function withCheckIn(e) {
      const at = checkedIn.get(e.session_id);
      return at ? { ...e, checked_in_at: at } : e;
    }
    function slot(errors, rawDate, rawTime) {
      const date = rawDate.trim();
      if (date === "") errors.push({ field: "consultation_date", message: "Enter the consultation date." });
      else if (!isIsoDate(date))
        errors.push({ field: "consultation_date", message: `Consultation date "${date}" is not a date; use the form YYYY-MM-DD, e.g. 2026-05-17.` });
      else if (date < ctx.today) errors.push({ field: "consultation_date", message: `${date} is in the past; today is ${ctx.today}.` });
      else if (!isOpen(date)) {
        let next = date;
        for (let i = 0; i < 366 && !isOpen(next); i++) next = addDays(next, 1);
        const day = (d) => `${["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][["mon", "tue", "wed", "thu", "fri", "sat", "sun"].indexOf(weekdayOf(d))]} ${d}`;
        errors.push({ field: "consultation_date", message: `The clinic is closed on ${day(date)}. The next open day is ${day(next)}.` });
      }
      const t = rawTime.trim();
      const m = /^(\d{1,2}):(\d{2})$/.exec(t);
      if (t !== "" && (!m || Number(m[1]) > 23 || Number(m[2]) > 59))
        errors.push({ field: "consultation_time", message: `"${t}" is not a time; use the 24-hour form HH:MM, e.g. 09:30 or 14:15.` });
      return { date, time: m ? `${m[1].padStart(2, "0")}:${m[2]}` : null };
    }
    const handlers = {
      today: () => {
        signedIn();
        const base = ctx.baseToday();
        return { ...base, sessions: base.sessions.map(withCheckIn), consultations: consultationEntries(base.date) };
      },
      calendar: (a) => ctx.baseCalendar(a).map(withCheckIn),
      check_in: (a) => {
        const s = signedIn();
        const id = arg$2(a, "sessionId");
        planOfSession(id);
        if (arg$2(a, "arrived")) checkedIn.set(id, ctx.now());
        else checkedIn.delete(id);
        log(s.username, "session.check_in", "session", String(id));
        return null;
      },
      check_in_consultation: (a) => {
        const s = signedIn();
        const id = arg$2(a, "appointmentId");
        const c = consultations.find((x) => x.appointment_id === id);
        if (!c) throw new MockError("not_found", `Appointment ${id} was not found; it may have been cancelled.`);
        c.checked_in_at = arg$2(a, "arrived") ? ctx.now() : null;
        log(s.username, "consultation.check_in", "patient", String(c.patient_id));
        return null;
      },
      register_with_consultation: (a) => {
        const s = signedIn();
        const errors = [];
        let input = null;
        try {
          input = ctx.validatePatient(arg$2(a, "input"));
        } catch (e) {
          if (e instanceof MockError) errors.push(...e.fields);
          else throw e;
        }
        const when = slot(errors, String(a.date ?? ""), String(a.time ?? ""));
        if (errors.length || !input) throw validationError(errors);
        const p = ctx.addPatient(input);
        consultations.push({ appointment_id: nextAppointmentId++, patient_id: p.id, date: when.date, time: when.time, checked_in_at: null });
        log(s.username, "patient.create", "patient", String(p.id));
        return structuredClone(p);
      },
      book_consultation: (a) => {
        signedIn();
        const p = ctx.findPatient(arg$2(a, "patientId"));
        const errors = [];
        const when = slot(errors, String(a.date ?? ""), String(a.time ?? ""));
        if (errors.length) throw validationError(errors);
        const id = nextAppointmentId++;
        consultations.push({ appointment_id: id, patient_id: p.id, date: when.date, time: when.time, checked_in_at: null });
        return id;
      },
      cancel_consultation: (a) => {
        signedIn();
        const i = consultations.findIndex((x) => x.appointment_id === arg$2(a, "appointmentId"));
        if (i >= 0) consultations.splice(i, 1);
        return null;
      },
      print_document: (a) => {
        const doc = render(arg$2(a, "request"));
        printed.push(doc.file_name);
        return { path: `/home/clinic/.cache/org.dermis.app/prints/${doc.file_name}`, ...doc };
      },
      save_document: (a) => {
        const path = arg$2(a, "path");
        const doc = render(arg$2(a, "request"));
        printed.push(doc.file_name);
        return { path, ...doc };
      },
      list_documents: (a) => {
        signedIn();
        const id = arg$2(a, "patientId");
        ctx.findPatient(id);
        return structuredClone(documents.filter((d) => d.patient_id === id).reverse()).map(({ patient_id: _p, ...d }) => d);
      },
      lock_app: () => {
        const s = ctx.session();
        if (s && !lock.locked) log(s.username, "app.lock", "user", String(s.user_id));
        if (s) lock.locked = true;
        return null;
      },
      unlock_app: (a) => {
        const s = ctx.session();
        if (!s) throw new MockError("forbidden", "You are signed out. Sign in to continue.");
        if (lock.failures >= 5)
          throw new MockError(
            "locked",
            `Too many wrong passwords for "${s.username}". Wait 15 minutes, or ask an administrator to reset the password.`
          );
        const password = arg$2(a, "password");
        if (password === "") throw validationError([{ field: "password", message: "Enter your password." }]);
        const u = ctx.users.find((x) => x.id === s.user_id);
        if (!u || u.password !== password) {
          lock.failures += 1;
          log(s.username, "login.failed", "user", String(s.user_id));
          throw new MockError("forbidden", "That user name and password do not match. Check them and try again.");
        }
        lock.failures = 0;
        lock.locked = false;
        log(s.username, "login", "user", String(s.user_id));
        return null;
      },
      clinic_settings: () => {
        signedIn();
        return view();
      },
      update_clinic_details: (a) => {
        const s = requireAdmin("change the clinic's settings");
        const d = arg$2(a, "details");
        const errors = [];
        const name2 = clean(d.name);
        if (name2 === "") errors.push({ field: "clinic_name", message: "Enter the clinic's name." });
        else if ([...name2].length > 200) errors.push({ field: "clinic_name", message: "The clinic name is too long: the limit is 200 characters." });
        const phone2 = clean(d.phone);
        if (phone2 === "") errors.push({ field: "phone", message: "Enter a phone number." });
        else if ([...phone2].some((c) => !(new RegExp("\\p{N}", "u").test(c) || " +()-./".includes(c))))
          errors.push({ field: "phone", message: "A phone number can only contain digits, spaces and + ( ) - . /" });
        const email2 = String(d.email ?? "").trim();
        if (email2 !== "" && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email2))
          errors.push({ field: "email", message: `"${email2}" is not an e-mail address (expected name@example.com).` });
        const address = String(d.address ?? "").trim();
        if ([...address].length > 500) errors.push({ field: "address", message: "Address is too long: the limit is 500 characters." });
        if (errors.length) throw validationError(errors);
        Object.assign(details, { name: name2, address, phone: phone2, email: email2 });
        ctx.setClinicName(name2);
        log(s.username, "settings.clinic", "clinic", "1");
        return view();
      },
      update_clinic_settings: (a) => {
        const s = requireAdmin("change the clinic's settings");
        const next = arg$2(a, "settings");
        const errors = [];
        const whole = (n) => typeof n === "number" && Number.isInteger(n);
        if (!whole(next.idle_lock_minutes) || next.idle_lock_minutes < 1 || next.idle_lock_minutes > 240)
          errors.push({ field: "idle_lock_minutes", message: "The idle lock is 1 to 240 minutes." });
        if (!whole(next.backups_kept) || next.backups_kept < 1 || next.backups_kept > 365)
          errors.push({ field: "backups_kept", message: "Keep 1 to 365 daily backups." });
        const folder = String(next.backup_folder ?? "").trim();
        if (folder !== "" && !folder.startsWith("/") && !/^[A-Za-z]:[\\/]/.test(folder))
          errors.push({ field: "backup_folder", message: "The backup folder must be a full path, e.g. /media/usb/dermis, or empty." });
        if (next.paper !== "a4" && next.paper !== "letter") errors.push({ field: "paper", message: "Choose A4 or US Letter." });
        const template = String(next.aftercare_template ?? "").trim();
        const known = AFTERCARE_PLACEHOLDERS.map((p) => p.slice(0, p.indexOf("}") + 1));
        const unknown = (template.replace(/\{\{|\}\}/g, "").match(/\{[^{}]*\}/g) ?? []).find((p) => !known.includes(p));
        if (unknown)
          errors.push({
            field: "aftercare_template",
            message: `The aftercare text uses an unknown placeholder ${unknown}. Known placeholders: ${known.join(", ")}.`
          });
        if (errors.length) throw validationError(errors);
        Object.assign(clinicSettings, { ...next, backup_folder: folder, aftercare_template: template });
        log(s.username, "settings.update", "clinic", "1");
        return view();
      },
      set_logo: (a) => {
        const s = requireAdmin("change the clinic's settings");
        const path = arg$2(a, "path");
        if (!/\.(png|jpe?g)$/i.test(path))
          throw validationError([
            { field: "logo", message: "The logo must be a PNG or JPEG image; this file is not one. The logo was not changed." }
          ]);
        logo.bytes = PNG_BYTES;
        log(s.username, "settings.logo", "clinic", "1");
        return null;
      },
      clear_logo: () => {
        requireAdmin("change the clinic's settings");
        logo.bytes = new Uint8Array();
        return null;
      },
      logo_data: () => {
        signedIn();
        return logo.bytes.slice().buffer;
      },
      update_depth_chart: (a) => {
        requireAdmin("change the clinic's settings");
        const chart = arg$2(a, "chart");
        const errors = [];
        for (const z of chart)
          for (const skin of ["thin", "thick"]) {
            const r = z[skin];
            const field = `depth_chart.${z.zone}.${skin}`;
            if (!Number.isInteger(r.min_um) || !Number.isInteger(r.max_um) || r.min_um <= 0 || r.max_um > 3e3)
              errors.push({ field, message: "A depth is more than 0 and at most 3.0 mm." });
            else if (r.min_um > r.max_um) errors.push({ field, message: "The lowest depth is above the highest." });
          }
        if (errors.length) throw validationError(errors);
        ctx.depthChart.splice(0, ctx.depthChart.length, ...structuredClone(chart));
        return structuredClone(ctx.depthChart);
      },
      list_users: () => {
        requireAdmin("manage accounts");
        const all = ctx.users.map(userInfo);
        return [...all.filter((u) => u.active), ...all.filter((u) => !u.active)];
      },
      create_user: (a) => {
        var _a;
        const s = requireAdmin("manage accounts");
        const input = arg$2(a, "input");
        const errors = [];
        const username = String(input.username ?? "").trim();
        if (username === "") errors.push({ field: "username", message: "Enter a user name." });
        else if ([...username].length < 3 || [...username].length > 32)
          errors.push({ field: "username", message: `A user name has 3 to 32 characters; this one has ${[...username].length}.` });
        else if (!/^[\p{L}\p{N}._-]+$/u.test(username))
          errors.push({ field: "username", message: "A user name can only contain letters, digits, dots, dashes and underscores." });
        else if (ctx.users.some((u2) => u2.username === username))
          errors.push({ field: "username", message: `The user name "${username}" is taken; choose another.` });
        const displayName = clean(input.display_name);
        if (displayName === "") errors.push({ field: "display_name", message: "Enter the person's full name." });
        checkPassword(errors, String(input.password ?? ""));
        if (!((_a = input.roles) == null ? void 0 : _a.length)) errors.push({ field: "roles", message: "Give the account at least one role." });
        if (errors.length) throw validationError(errors);
        const u = {
          id: Math.max(0, ...ctx.users.map((x) => x.id)) + 1,
          username,
          display_name: displayName,
          password: input.password,
          roles: [...new Set(input.roles)],
          active: true
        };
        ctx.users.push(u);
        log(s.username, "user.create", "user", String(u.id), u.roles.join(","));
        return { user_id: u.id, username, display_name: displayName, roles: [...u.roles] };
      },
      deactivate_user: (a) => {
        const s = requireAdmin("manage accounts");
        const u = userNamed(arg$2(a, "username"));
        if (u.id === s.user_id)
          throw validationError([{ field: "username", message: "You cannot deactivate your own account." }]);
        u.active = false;
        log(s.username, "user.deactivate", "user", String(u.id));
        return null;
      },
      reset_password: (a) => {
        const s = requireAdmin("manage accounts");
        const u = userNamed(arg$2(a, "username"));
        const errors = [];
        checkPassword(errors, String(a.password ?? ""));
        if (errors.length) throw validationError(errors);
        u.password = String(a.password);
        log(s.username, "user.reset_password", "user", String(u.id));
        return null;
      },
      audit_page: (a) => {
        requireAdmin("read the audit log");
        const f = arg$2(a, "filter");
        const errors = [];
        for (const key of ["from", "to"]) {
          const v = f[key].trim();
          if (v !== "" && !isIsoDate(v))
            errors.push({ field: key, message: `"${v}" is not a date; use the form YYYY-MM-DD, e.g. 2026-05-17.` });
        }
        if (!errors.length && f.from && f.to && f.to < f.from)
          errors.push({ field: "to", message: "The last day is before the first day." });
        if (errors.length) throw validationError(errors);
        const limit = Math.min(500, Math.max(1, f.limit));
        const found = [...audit].reverse().filter((e) => f.before_id === null || e.id < f.before_id).filter((e) => f.username.trim() === "" || e.username === f.username.trim()).filter((e) => f.action.trim() === "" || e.action.startsWith(f.action.trim())).filter((e) => f.from === "" || e.at.slice(0, 10) >= f.from).filter((e) => f.to === "" || e.at.slice(0, 10) <= f.to);
        return { items: structuredClone(found.slice(0, limit)), has_more: found.length > limit };
      },
      verify_audit: () => {
        requireAdmin("read the audit log");
        return auditBrokenAt.id;
      },
      export_audit: (a) => {
        requireAdmin("read the audit log");
        arg$2(a, "path");
        return audit.length;
      },
      backup_now: (a) => {
        const s = requireAdmin("back up the clinic's data");
        const folder = folderPath(a.folder, "folder");
        const stamp = ctx.now().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
        log(s.username, "backup", "database", "");
        return {
          path: `${folder}/dermis-${stamp}.db`,
          schema_version: big(9),
          patients: big(ctx.patients.length),
          sessions: big(ctx.plans.reduce((n, p) => n + p.sessions.filter((x) => x.status === "done").length, 0)),
          bytes: 2097152,
          photos: big(0),
          photos_missing: big(0)
        };
      },
      inspect_backup: (a) => {
        requireAdmin("restore a backup");
        return backupAt(arg$2(a, "path"));
      },
      restore_backup: (a) => {
        const s = requireAdmin("restore a backup");
        const summary2 = backupAt(arg$2(a, "path"));
        log(s.username, "restore", "database", "", summary2.path);
        return summary2;
      },
      export_data: (a) => {
        const s = requireAdmin("export the clinic's data");
        const format = arg$2(a, "format");
        const path = arg$2(a, "path");
        log(s.username, "export", "database", "", format);
        return {
          format,
          path,
          files: format === "csv" ? ["patients.csv", "assessments.csv", "plans.csv", "sessions.csv", "adverse_events.csv"] : [path],
          patients: ctx.patients.length,
          assessments: 3,
          plans: ctx.plans.length,
          sessions: 12,
          adverse_events: 1
        };
      }
    };
    return {
      audit,
      auditBrokenAt,
      details,
      clinicSettings,
      logo,
      documents,
      consultations,
      checkedIn,
      backupFiles,
      printed,
      lock,
      addAudit: log,
      handlers
    };
  }
  const QUESTION = {
    active_infection: "Active infection or open wound in the treatment area?",
    active_acne: "Active inflammatory acne in the treatment area?",
    keloid_tendency: "Tendency to form keloid scars?",
    pregnancy_or_breastfeeding: "Pregnant or breastfeeding?",
    cancer_treatment: "Having cancer treatment (chemotherapy or radiotherapy)?",
    isotretinoin: "Taken isotretinoin (e.g. Roaccutane) in the last 6 months?",
    anticoagulants: "Taking anticoagulants, or has a bleeding disorder?",
    diabetes: "Diabetes?",
    skin_condition: "Eczema, psoriasis or rosacea in the treatment area?",
    herpes_simplex: "History of herpes simplex (cold sores)?",
    allergy: "Allergy to metals (nickel) or to anaesthetics?"
  };
  const FINDINGS = {
    active_infection: "Active infection or open wound in the area",
    active_acne: "Active inflammatory acne in the area",
    keloid_tendency: "Keloid tendency",
    pregnancy_or_breastfeeding: "Pregnancy or breastfeeding",
    cancer_treatment: "Cancer treatment (chemotherapy or radiotherapy)",
    isotretinoin: "Isotretinoin",
    anticoagulants: "Anticoagulants or a bleeding disorder: expect more bleeding",
    diabetes: "Diabetes: slower healing and a higher infection risk",
    skin_condition: "Eczema, psoriasis or rosacea in the area",
    herpes_simplex: "Herpes simplex history: consider antiviral prophylaxis",
    allergy: "Metal or anaesthetic allergy: check the needles and the numbing cream"
  };
  const KINDS = {
    active_infection: "block",
    active_acne: "block",
    keloid_tendency: "block",
    pregnancy_or_breastfeeding: "block",
    cancer_treatment: "block",
    isotretinoin: "washout",
    anticoagulants: "warn",
    diabetes: "warn",
    skin_condition: "warn",
    herpes_simplex: "warn",
    allergy: "warn"
  };
  const SCREENING_QUESTIONS = Object.keys(QUESTION).map((c) => ({
    condition: c,
    question: QUESTION[c],
    kind: KINDS[c],
    washout_months: KINDS[c] === "washout" ? 6 : null,
    asks_last_date: KINDS[c] === "washout"
  }));
  const DEFAULT_PLAN_DEFAULTS = {
    sessions_by_grade: [3, 4, 5, 6],
    old_scar_years: 5,
    old_scar_extra_sessions: 1,
    max_sessions: 8,
    interval_weeks_resilient: 4,
    interval_weeks_normal: 5,
    interval_weeks_sensitive: 6,
    dark_skin_min_interval_weeks: 5,
    slow_healing_extra_weeks: 1,
    max_interval_weeks: 8,
    maintenance_months_resilient: 3,
    maintenance_months_normal: 4,
    maintenance_months_sensitive: 6,
    shortest_interval_weeks: 4,
    recall_horizon_months: 12,
    screening_validity_months: 6
  };
  const SCAR_TYPES = ["ice_pick", "boxcar", "rolling", "hypertrophic", "keloidal"];
  const AREAS = [
    "forehead",
    "temples",
    "nose",
    "around_eyes",
    "cheekbones",
    "cheeks",
    "chin",
    "upper_lip",
    "jawline",
    "neck",
    "chest",
    "back"
  ];
  const SENSITIVITIES = ["sensitive", "normal", "resilient"];
  const GRADE_WORDS = ["macular", "mild", "moderate", "severe"];
  const ROMAN = ["I", "II", "III", "IV", "V", "VI"];
  function countMultiplier(n) {
    return n <= 0 ? 0 : n <= 10 ? 1 : n <= 20 ? 2 : 3;
  }
  function gbScore(c) {
    return 1 * countMultiplier(c.macular) + 2 * countMultiplier(c.moderate) + 3 * countMultiplier(c.severe) + 2 * countMultiplier(c.papular) + 6 * countMultiplier(c.keloidal);
  }
  function arg$1(a, key) {
    if (!(key in a)) throw new Error(`invalid args \`${key}\`: missing required key ${key}`);
    return a[key];
  }
  function isWhole(n) {
    return typeof n === "number" && Number.isInteger(n) && n >= 0;
  }
  function dateField(errors, field, label, raw) {
    const v = String(raw ?? "").trim();
    if (v === "") errors.push({ field, message: `Enter the ${label.toLowerCase()}.` });
    else if (!isIsoDate(v)) errors.push({ field, message: `${label} "${v}" is not a date; use the form YYYY-MM-DD, e.g. 1990-05-17.` });
    else return v;
    return null;
  }
  function notesField(errors, raw) {
    const v = String(raw ?? "").trim();
    if ([...v].length > 5e3) errors.push({ field: "notes", message: `Notes are too long: ${[...v].length} characters, the limit is 5000.` });
    return v;
  }
  function createClinic(ctx) {
    const screenings = [];
    const assessments = [];
    const plans = [];
    const settings = {
      defaults: structuredClone(DEFAULT_PLAN_DEFAULTS),
      open_weekdays: ["mon", "tue", "wed", "thu", "fri"],
      closed_dates: []
    };
    let nextScreeningId = 1;
    let nextAssessmentId = 1;
    let nextPlanId = 1;
    let nextSessionId = 1;
    const D = () => settings.defaults;
    const ACTIONS = {
      record: { roles: ["admin", "practitioner"], describe: "record screenings and assessments" },
      read: { roles: ["admin", "practitioner"], describe: "read screenings, assessments, session records and photos" },
      plan: { roles: ["admin", "practitioner"], describe: "plan treatments" },
      move: { roles: ["admin", "practitioner", "receptionist"], describe: "move appointments" },
      calendar: { roles: ["admin", "practitioner", "receptionist"], describe: "see the calendar" },
      settings: { roles: ["admin", "practitioner", "receptionist"], describe: "see the clinic's settings" },
      "edit-settings": { roles: ["admin"], describe: "change the clinic's settings" }
    };
    function require2(action) {
      const s = ctx.requireSession();
      const rule = ACTIONS[action];
      if (!s.roles.some((r) => rule.roles.includes(r)))
        throw new MockError("forbidden", `Your account is not allowed to ${rule.describe}. Ask the clinic's administrator.`);
      return s;
    }
    const backup = { last_good_at: `${ctx.today}T08:00:00Z`, last_path: "backups/dermis-auto.db", days_since: 0, warning: false };
    let rules = SCREENING_QUESTIONS.map((q) => ({
      condition: q.condition,
      kind: q.kind,
      washout_months: q.washout_months
    }));
    const questions = () => rules.map((r) => ({
      condition: r.condition,
      question: QUESTION[r.condition],
      kind: r.kind,
      washout_months: r.kind === "washout" ? r.washout_months : null,
      asks_last_date: r.kind === "washout"
    }));
    function resultOf(screenedOn, answers) {
      const result = {
        allowed: true,
        blocks: [],
        warnings: [],
        earliest_eligible: null,
        valid_until: addMonths(screenedOn, D().screening_validity_months)
      };
      for (const q of questions()) {
        const answer = answers.find((a) => a.condition === q.condition);
        if (!(answer == null ? void 0 : answer.present)) continue;
        const what = FINDINGS[q.condition];
        if (q.kind === "block")
          result.blocks.push({
            condition: q.condition,
            kind: q.kind,
            message: `${what}: no treatment without a practitioner's override and a written reason.`
          });
        else if (q.kind === "warn") result.warnings.push({ condition: q.condition, kind: q.kind, message: `${what}.` });
        else if (answer.last_date) {
          const months = q.washout_months ?? 0;
          const from = addMonths(answer.last_date, months);
          if (result.earliest_eligible === null || from > result.earliest_eligible) result.earliest_eligible = from;
          result.warnings.push({
            condition: q.condition,
            kind: q.kind,
            message: `${what} stopped ${answer.last_date} → eligible from ${from} (${months} months after the last dose).`
          });
        } else {
          result.blocks.push({
            condition: q.condition,
            kind: q.kind,
            message: `${what}: no date of the last dose, so the waiting period cannot be counted.`
          });
        }
      }
      result.allowed = result.blocks.length === 0;
      return result;
    }
    function recordScreening(patientId, input, by, screenedOverride) {
      const errors = [];
      const screenedOn = screenedOverride ?? dateField(errors, "screened_on", "Screening date", input.screened_on);
      if (screenedOn && screenedOn > ctx.today)
        errors.push({ field: "screened_on", message: `The screening date ${screenedOn} is in the future; today is ${ctx.today}.` });
      const answers = [];
      for (const q of questions()) {
        const field = `answers.${q.condition}`;
        const given = (input.answers ?? []).filter((x) => x.condition === q.condition);
        if (given.length === 0) {
          errors.push({ field, message: `Answer: ${q.question}` });
          continue;
        }
        if (given.length > 1) {
          errors.push({ field, message: "This question is answered twice." });
          continue;
        }
        const a = given[0];
        const raw = String(a.last_date ?? "").trim();
        let last = null;
        if (raw !== "") last = dateField(errors, `${field}.last_date`, "The last date", raw);
        if (a.present && q.kind === "washout" && raw === "")
          errors.push({ field: `${field}.last_date`, message: "Give the date of the last dose: the waiting period counts from it." });
        answers.push({ condition: q.condition, present: Boolean(a.present), last_date: a.present ? last : null });
      }
      const notes = notesField(errors, input.notes);
      if (errors.length) throw validationError(errors);
      const on = screenedOn;
      const s = {
        id: nextScreeningId++,
        patient_id: patientId,
        screened_on: on,
        answers,
        notes,
        result: resultOf(on, answers),
        recorded_by: by,
        created_at: ctx.now()
      };
      screenings.push(s);
      return s;
    }
    function latestScreening(patientId) {
      return screenings.filter((s) => s.patient_id === patientId).sort((a, b) => a.screened_on === b.screened_on ? b.id - a.id : a.screened_on < b.screened_on ? 1 : -1)[0];
    }
    function recordAssessment(patientId, input, by, onOverride) {
      var _a;
      const errors = [];
      const on = onOverride ?? dateField(errors, "assessed_on", "Assessment date", input.assessed_on);
      if (on && on > ctx.today)
        errors.push({ field: "assessed_on", message: `The assessment date ${on} is in the future; today is ${ctx.today}.` });
      const types = [...new Set(input.scar_types ?? [])].filter((t) => SCAR_TYPES.includes(t));
      if (types.length === 0) errors.push({ field: "scar_types", message: "Tick at least one scar type." });
      if (![1, 2, 3, 4].includes(input.grade))
        errors.push({ field: "grade", message: "Choose a Goodman & Baron grade from 1 (macular) to 4 (severe)." });
      for (const k of ["macular", "moderate", "severe", "papular", "keloidal"]) {
        const n = (_a = input.counts) == null ? void 0 : _a[k];
        if (!isWhole(n)) errors.push({ field: `counts.${k}`, message: "Enter a count of scars (0 or more)." });
        else if (n > 1e3) errors.push({ field: `counts.${k}`, message: `${n} scars is more than can be counted here (at most 1000).` });
      }
      if (![1, 2, 3, 4, 5, 6].includes(input.fitzpatrick))
        errors.push({ field: "fitzpatrick", message: "Choose a Fitzpatrick skin type from I to VI." });
      if (!SENSITIVITIES.includes(input.sensitivity))
        errors.push({ field: "sensitivity", message: "Choose the skin's sensitivity." });
      const areas = [...new Set(input.treatment_areas ?? [])].filter((a2) => AREAS.includes(a2));
      if (areas.length === 0) errors.push({ field: "treatment_areas", message: "Tick at least one treatment area." });
      if (!isWhole(input.scar_age_years) || input.scar_age_years > 100)
        errors.push({ field: "scar_age_years", message: "Scar age is in years, at most 100." });
      const notes = notesField(errors, input.notes);
      if (errors.length) throw validationError(errors);
      const a = {
        id: nextAssessmentId++,
        patient_id: patientId,
        assessed_on: on,
        scar_types: SCAR_TYPES.filter((t) => types.includes(t)),
        grade: input.grade,
        counts: { ...input.counts },
        score: gbScore(input.counts),
        fitzpatrick: input.fitzpatrick,
        sensitivity: input.sensitivity,
        treatment_areas: AREAS.filter((x) => areas.includes(x)),
        scar_age_years: input.scar_age_years,
        notes,
        recorded_by: by,
        created_at: ctx.now()
      };
      assessments.push(a);
      return a;
    }
    const rulesOf = /* @__PURE__ */ new Map();
    function fmt(d) {
      const wd = weekdayOf(d);
      return `${wd[0].toUpperCase()}${wd.slice(1)} ${d}`;
    }
    function isOpen(d) {
      return settings.open_weekdays.includes(weekdayOf(d)) && !settings.closed_dates.includes(d);
    }
    function nearestOpen(target, lo, hi) {
      let best = null;
      for (let d = lo; d <= hi; d = addDays(d, 1)) {
        if (!isOpen(d)) continue;
        const dist = Math.abs(daysBetween(target, d));
        if (best === null || dist < best.dist) best = { dist, d };
      }
      return (best == null ? void 0 : best.d) ?? null;
    }
    function firstOpenFrom(from) {
      for (let i = 0, d = from; i <= 366; i++, d = addDays(d, 1)) if (isOpen(d)) return d;
      return null;
    }
    function nextSession(k, prev, w, shortest) {
      const target = addDays(prev, 7 * w);
      const lo = addDays(prev, 7 * Math.min(shortest, w));
      const hi = addDays(target, 7);
      const d = nearestOpen(target, lo, hi);
      if (!d)
        throw validationError([
          {
            field: "start",
            message: `Session ${k} has no open day between ${fmt(lo)} and ${fmt(hi)}: the clinic is closed throughout; open more days or move the plan.`
          }
        ]);
      return d;
    }
    function maintenanceMonths(sensitivity) {
      const d = D();
      return sensitivity === "sensitive" ? d.maintenance_months_sensitive : sensitivity === "resilient" ? d.maintenance_months_resilient : d.maintenance_months_normal;
    }
    function recallDates(last, m) {
      const limit = addMonths(last, D().recall_horizon_months);
      const out = [];
      let target = addMonths(last, m);
      while (target <= limit && m > 0) {
        const lo = addDays(target, -7);
        const hi = addDays(target, 7);
        const d = nearestOpen(target, lo, hi);
        if (!d)
          throw validationError([
            { field: "start", message: `The maintenance recall due ${target} has no open day between ${fmt(lo)} and ${fmt(hi)}.` }
          ]);
        out.push(d);
        target = addMonths(target, m);
      }
      return out;
    }
    function propose(req) {
      var _a;
      ctx.findPatient(req.patient_id);
      const a = assessments.find((x) => x.id === req.assessment_id && x.patient_id === req.patient_id);
      if (!a) throw validationError([{ field: "assessment_id", message: "Choose one of this patient's assessments." }]);
      const errors = [];
      const requested = dateField(errors, "start", "Start date", req.start);
      if (errors.length) throw validationError(errors);
      if (requested < ctx.today)
        throw validationError([{ field: "start", message: `The start date ${requested} is in the past; today is ${ctx.today}.` }]);
      const fail = (field, message) => validationError([{ field, message }]);
      const d = D();
      const rationale = [];
      const warnings = [];
      const o = req.override;
      const adjust = o && (o.sessions !== null || o.interval_weeks !== null) ? o : null;
      if (adjust && adjust.reason.trim() === "") throw fail("reason", "Write the reason for changing the proposed plan.");
      let start = requested;
      const s = (_a = latestScreening(req.patient_id)) == null ? void 0 : _a.result;
      if (!s) throw fail("assessment_id", "This patient has no screening on record: record a screening before planning.");
      if (s.valid_until < ctx.today)
        throw fail("assessment_id", `The latest screening expired on ${s.valid_until}: record a new screening before planning.`);
      if (!s.allowed) {
        const reasons = s.blocks.map((b) => b.message).join(" ");
        const reason = (o == null ? void 0 : o.reason.trim()) ?? "";
        if (reason === "")
          throw fail("reason", `The screening blocks treatment: ${reasons} A plan needs a practitioner's override with a written reason.`);
        warnings.push(`Screening blocks treatment (${reasons}); overridden by the practitioner: ${reason}`);
      }
      for (const w2 of s.warnings) warnings.push(w2.message);
      if (s.earliest_eligible && s.earliest_eligible > start) {
        rationale.push(`Start moved from ${start} to ${s.earliest_eligible}: the washout period ends then.`);
        start = s.earliest_eligible;
      }
      let n = d.sessions_by_grade[a.grade - 1] ?? 4;
      rationale.push(`${n} sessions for Goodman & Baron grade ${a.grade} (${GRADE_WORDS[a.grade - 1]}).`);
      if (a.scar_age_years > d.old_scar_years && d.old_scar_extra_sessions > 0) {
        const extra = Math.min(n + d.old_scar_extra_sessions, Math.max(d.max_sessions, n)) - n;
        if (extra > 0) {
          n += extra;
          rationale.push(`+${extra} session for scars older than ${d.old_scar_years} years (${a.scar_age_years} years), ${n} in all.`);
        } else {
          rationale.push(`Scars older than ${d.old_scar_years} years, but ${n} sessions is already the most.`);
        }
      }
      let w = a.sensitivity === "resilient" ? d.interval_weeks_resilient : a.sensitivity === "sensitive" ? d.interval_weeks_sensitive : d.interval_weeks_normal;
      rationale.push(`${w} weeks between sessions for ${a.sensitivity} skin.`);
      if (a.fitzpatrick >= 4) {
        warnings.push(
          `Fitzpatrick type ${ROMAN[a.fitzpatrick - 1]}: risk of post-inflammatory hyperpigmentation (PIH); strict sun protection.`
        );
        if (w < d.dark_skin_min_interval_weeks) {
          w = d.dark_skin_min_interval_weeks;
          rationale.push(`Interval raised to ${w} weeks for Fitzpatrick type ${ROMAN[a.fitzpatrick - 1]} (PIH risk).`);
        }
      }
      let shortest = d.shortest_interval_weeks;
      if (w < shortest) {
        w = shortest;
        rationale.push(`Interval raised to the shortest the clinic allows, ${w} weeks.`);
      }
      if (adjust) {
        const reason = adjust.reason.trim();
        if (adjust.sessions !== null) {
          if (!(adjust.sessions >= 1 && adjust.sessions <= 12)) throw fail("override.sessions", "Choose between 1 and 12 sessions.");
          rationale.push(`${adjust.sessions} sessions set by the practitioner (proposed ${n}): ${reason}`);
          n = adjust.sessions;
        }
        if (adjust.interval_weeks !== null) {
          const iw = adjust.interval_weeks;
          if (!(iw >= 1 && iw <= 26)) throw fail("override.interval_weeks", "Choose an interval between 1 and 26 weeks.");
          rationale.push(`${iw} weeks between sessions set by the practitioner (proposed ${w}): ${reason}`);
          if (iw < shortest) {
            warnings.push(`The interval of ${iw} weeks is shorter than the clinic's shortest of ${shortest} weeks (overridden).`);
            shortest = iw;
          }
          w = iw;
        }
      }
      const first = firstOpenFrom(start);
      if (!first || first > addDays(start, 7))
        throw fail(
          "start",
          `The clinic is not open on any day from ${fmt(start)} to ${fmt(addDays(start, 7))}: choose another start date or open more days.`
        );
      const dates = [first];
      for (let k = 2; k <= n; k++) dates.push(nextSession(k, dates[dates.length - 1], w, shortest));
      const last = dates[dates.length - 1];
      const m = maintenanceMonths(a.sensitivity);
      const maintenance = recallDates(last, m);
      rationale.push(`Maintenance every ${m} months after the course for ${a.sensitivity} skin.`);
      const after = dates.find((x) => x > s.valid_until);
      if (after) warnings.push(`The screening is valid until ${s.valid_until}: renew it before the session on ${fmt(after)}.`);
      return {
        proposal: {
          sessions: dates.map((date, i) => ({ n: i + 1, date })),
          maintenance,
          session_count: n,
          interval_weeks: w,
          rationale,
          warnings
        },
        rules: {
          interval: w,
          shortest: Math.min(d.shortest_interval_weeks, (o == null ? void 0 : o.interval_weeks) ?? Infinity),
          maintenanceMonths: m
        },
        start,
        assessment: a
      };
    }
    function storePlan(req, e) {
      var _a;
      const plan = {
        id: nextPlanId++,
        patient_id: req.patient_id,
        assessment_id: e.assessment.id,
        status: "active",
        start: e.start,
        session_count: e.proposal.session_count,
        interval_weeks: e.proposal.interval_weeks,
        override_reason: ((_a = req.override) == null ? void 0 : _a.reason.trim()) ?? "",
        sessions: e.proposal.sessions.map((s) => ({ id: nextSessionId++, n: s.n, date: s.date, time: null, status: "planned" })),
        maintenance: e.proposal.maintenance,
        rationale: e.proposal.rationale,
        warnings: e.proposal.warnings,
        created_at: ctx.now()
      };
      plans.push(plan);
      rulesOf.set(plan.id, e.rules);
      return plan;
    }
    function findPlanOfSession(sessionId) {
      const plan = plans.find((p) => p.sessions.some((s) => s.id === sessionId));
      if (!plan) throw new MockError("not_found", `Session ${sessionId} was not found.`);
      return plan;
    }
    function reschedule(sessionId, rawDate) {
      const errors = [];
      const to = dateField(errors, "date", "The new date", rawDate);
      if (errors.length || to === null) throw validationError(errors);
      const plan = findPlanOfSession(sessionId);
      if (plan.status === "cancelled" || plan.status === "completed")
        throw new MockError("conflict", `This plan is ${plan.status}; its sessions can no longer move.`);
      const fail = (message) => validationError([{ field: "date", message }]);
      if (to < ctx.today) throw fail(`${to} is in the past; today is ${ctx.today}.`);
      const rules2 = rulesOf.get(plan.id) ?? {
        interval: plan.interval_weeks,
        shortest: D().shortest_interval_weeks,
        maintenanceMonths: D().maintenance_months_normal
      };
      const i = plan.sessions.findIndex((s) => s.id === sessionId);
      const slots = plan.sessions.map((s) => ({ date: s.date, done: s.status !== "planned" }));
      const n = i + 1;
      if (slots[i].done) throw fail(`Session ${n} is done; a done session never moves.`);
      const earliest = i === 0 ? plan.start : addDays(slots[i - 1].date, 7 * rules2.shortest);
      if (to < earliest) {
        const firstOk = firstOpenFrom(earliest) ?? earliest;
        throw fail(
          i === 0 ? `Session 1 cannot be before the plan's start; the earliest allowed date is ${fmt(firstOk)}.` : `Session ${n} must be at least ${rules2.shortest} weeks after session ${n - 1}; the earliest allowed date is ${fmt(firstOk)}.`
        );
      }
      if (!isOpen(to)) {
        const next = firstOpenFrom(to);
        throw fail(`The clinic is closed on ${fmt(to)}.${next ? ` The next open day is ${fmt(next)}.` : ""}`);
      }
      const laterDone = slots.slice(i + 1).find((x) => x.done);
      if (laterDone && to >= laterDone.date)
        throw fail(`A later session was already done on ${fmt(laterDone.date)}; this one must stay before it.`);
      const dates = slots.map((x) => x.date);
      dates[i] = to;
      for (let k = i + 1; k < slots.length; k++) {
        if (slots[k].done) continue;
        try {
          dates[k] = nextSession(k + 1, dates[k - 1], rules2.interval, rules2.shortest);
        } catch (e) {
          throw e instanceof MockError ? fail(e.message) : e;
        }
      }
      let maintenance;
      try {
        maintenance = recallDates(dates[dates.length - 1], rules2.maintenanceMonths);
      } catch (e) {
        throw e instanceof MockError ? fail(e.message) : e;
      }
      plan.sessions.forEach((s, k) => s.date = dates[k]);
      plan.maintenance = maintenance;
      return plan;
    }
    const TRANSITIONS = {
      active: ["paused", "completed", "cancelled"],
      paused: ["active", "completed", "cancelled"],
      completed: [],
      cancelled: []
    };
    function setStatus(planId, status, rawReason) {
      const reason = String(rawReason ?? "").trim();
      if ((status === "paused" || status === "cancelled") && reason === "")
        throw validationError([{ field: "reason", message: "Write the reason for this change." }]);
      const plan = plans.find((p) => p.id === planId);
      if (!plan) throw new MockError("not_found", `Plan ${planId} was not found.`);
      if (plan.status === status) return plan;
      if (!TRANSITIONS[plan.status].includes(status))
        throw new MockError("conflict", `A ${plan.status} plan cannot become ${status}.`);
      plan.status = status;
      if (status === "cancelled") {
        for (const s of plan.sessions) if (s.status === "planned") s.status = "cancelled";
      }
      return plan;
    }
    function entriesBetween(from, to) {
      const out = [];
      for (const plan of plans) {
        if (plan.status === "cancelled") continue;
        const p = ctx.patients.find((x) => x.id === plan.patient_id);
        if (!p) continue;
        for (const s of plan.sessions) {
          if (s.status === "cancelled" || s.date < from || s.date > to) continue;
          out.push({
            session_id: s.id,
            plan_id: plan.id,
            patient_id: p.id,
            patient_number: p.patient_number,
            first_name: p.first_name,
            last_name: p.last_name,
            n: s.n,
            of: plan.session_count,
            date: s.date,
            time: s.time,
            status: s.status,
            // Date, then booked time (unbooked last), then patient — as the backend orders them.
            key: `${s.date}\0${s.time ?? "~"}\0${ctx.sortKey(p)}`
          });
        }
      }
      out.sort((a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : a.session_id - b.session_id);
      return out.map(({ key: _key, ...entry }) => entry);
    }
    function recallsDue(until) {
      const byPatient = /* @__PURE__ */ new Map();
      for (const plan of plans) {
        if (plan.status !== "active" && plan.status !== "completed") continue;
        for (const due of plan.maintenance) {
          if (due > until) continue;
          const seen = byPatient.get(plan.patient_id);
          if (seen === void 0 || due < seen) byPatient.set(plan.patient_id, due);
        }
      }
      const out = [];
      for (const [patientId, due] of byPatient) {
        const p = ctx.patients.find((x) => x.id === patientId);
        if (!p || p.archived) continue;
        out.push({
          patient_id: p.id,
          patient_number: p.patient_number,
          first_name: p.first_name,
          last_name: p.last_name,
          phone: p.phone,
          due,
          overdue: due < ctx.today
        });
      }
      const key = (r) => `${r.due}\0${ctx.sortKey(ctx.findPatient(r.patient_id))}`;
      return out.sort((a, b) => key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
    }
    function validateSettings(raw) {
      const errors = [];
      const d = raw.defaults;
      if (!Array.isArray(d.sessions_by_grade) || d.sessions_by_grade.length !== 4)
        errors.push({ field: "defaults.sessions_by_grade", message: "Give the number of sessions for each of the four grades." });
      (d.sessions_by_grade ?? []).forEach((n, i) => {
        if (!(n >= 1 && n <= 12))
          errors.push({ field: "defaults.sessions_by_grade", message: `Grade ${i + 1}: between 1 and 12 sessions, not ${n}.` });
      });
      const range = (field, lo, hi, unit) => {
        const v = d[field];
        if (!(v >= lo && v <= hi)) errors.push({ field: `defaults.${field}`, message: `Between ${lo} and ${hi} ${unit}, not ${v}.` });
      };
      range("old_scar_years", 1, 50, "years");
      range("old_scar_extra_sessions", 0, 4, "sessions");
      range("max_sessions", 1, 12, "sessions");
      range("interval_weeks_resilient", 1, 26, "weeks");
      range("interval_weeks_normal", 1, 26, "weeks");
      range("interval_weeks_sensitive", 1, 26, "weeks");
      range("dark_skin_min_interval_weeks", 1, 26, "weeks");
      range("slow_healing_extra_weeks", 0, 8, "weeks");
      range("max_interval_weeks", 1, 26, "weeks");
      range("maintenance_months_resilient", 1, 24, "months");
      range("maintenance_months_normal", 1, 24, "months");
      range("maintenance_months_sensitive", 1, 24, "months");
      range("shortest_interval_weeks", 1, 26, "weeks");
      range("recall_horizon_months", 1, 36, "months");
      range("screening_validity_months", 1, 36, "months");
      if (d.max_sessions < Math.max(0, ...d.sessions_by_grade ?? []))
        errors.push({ field: "defaults.max_sessions", message: "The most sessions must be at least the sessions for grade 4." });
      if (d.shortest_interval_weeks > Math.min(d.interval_weeks_resilient, d.interval_weeks_normal))
        errors.push({ field: "defaults.shortest_interval_weeks", message: "The shortest interval cannot be longer than the usual intervals." });
      if (d.max_interval_weeks < Math.max(d.interval_weeks_sensitive, d.interval_weeks_normal))
        errors.push({ field: "defaults.max_interval_weeks", message: "The longest interval must be at least the usual intervals." });
      if ((raw.open_weekdays ?? []).length === 0)
        errors.push({ field: "open_weekdays", message: "The clinic must be open on at least one day of the week." });
      if ((raw.closed_dates ?? []).some((c) => !isIsoDate(c)))
        throw new MockError("internal", "invalid args `settings` for command `update_plan_settings`: closed_dates holds a non-date.");
      if (errors.length) throw validationError(errors);
      return {
        defaults: structuredClone(d),
        open_weekdays: WEEKDAYS.filter((w) => raw.open_weekdays.includes(w)),
        closed_dates: [...new Set(raw.closed_dates)].sort()
      };
    }
    function seedDemo() {
      const T = ctx.today;
      const people = ctx.patients.filter((p) => !p.archived);
      const by = "Dr Amira Haddad";
      const base = {
        assessed_on: T,
        scar_types: ["rolling", "boxcar"],
        treatment_areas: ["cheeks", "temples"],
        notes: ""
      };
      const clean2 = (on) => ({
        screened_on: on,
        answers: SCREENING_QUESTIONS.map((q) => ({ condition: q.condition, present: false, last_date: null })),
        notes: ""
      });
      const answering = (on, yes) => {
        const s = clean2(on);
        for (const a of s.answers)
          if (a.condition in yes) {
            a.present = true;
            a.last_date = yes[a.condition] ?? null;
          }
        return s;
      };
      function planAround(p, a, n, anchor, startOn) {
        const d = D();
        let weeks = a.sensitivity === "sensitive" ? d.interval_weeks_sensitive : a.sensitivity === "resilient" ? d.interval_weeks_resilient : d.interval_weeks_normal;
        if (a.fitzpatrick >= 4) weeks = Math.max(weeks, d.dark_skin_min_interval_weeks);
        const base2 = d.sessions_by_grade[a.grade - 1];
        const old = a.scar_age_years > d.old_scar_years;
        const count = Math.max(n, old ? Math.min(base2 + d.old_scar_extra_sessions, d.max_sessions) : base2);
        const dates = [];
        for (let k = 1; k < n; k++) dates.push(addDays(anchor, -7 * weeks * (n - k)));
        dates.push(anchor);
        for (let k = n + 1; k <= count; k++) dates.push(nextSession(k, dates[k - 2], weeks, d.shortest_interval_weeks));
        const months = maintenanceMonths(a.sensitivity);
        const screening = latestScreening(p.id);
        const plan = {
          id: nextPlanId++,
          patient_id: p.id,
          assessment_id: a.id,
          status: "active",
          start: startOn ?? dates[0],
          session_count: count,
          interval_weeks: weeks,
          override_reason: "",
          sessions: dates.map((date, i) => ({
            id: nextSessionId++,
            n: i + 1,
            date,
            time: date === T ? ["09:30", "11:00", "14:15"][i % 3] : null,
            status: date < T ? "done" : "planned"
          })),
          maintenance: recallDates(dates[dates.length - 1], months),
          rationale: [
            `${base2} sessions for Goodman & Baron grade ${a.grade} (${GRADE_WORDS[a.grade - 1]}).`,
            ...old && count > base2 ? [`+${count - base2} session for scars older than ${d.old_scar_years} years (${a.scar_age_years} years), ${count} in all.`] : [],
            `${weeks} weeks between sessions for ${a.sensitivity} skin.`,
            `Maintenance every ${months} months after the course for ${a.sensitivity} skin.`
          ],
          warnings: [
            ...(screening == null ? void 0 : screening.result.warnings.map((w) => w.message)) ?? [],
            ...a.fitzpatrick >= 4 ? [`Fitzpatrick type ${ROMAN[a.fitzpatrick - 1]}: risk of post-inflammatory hyperpigmentation (PIH); strict sun protection.`] : []
          ],
          created_at: ctx.now()
        };
        plans.push(plan);
        rulesOf.set(plan.id, { interval: weeks, shortest: d.shortest_interval_weeks, maintenanceMonths: months });
        return plan;
      }
      function finishedWithRecall(p, a, target) {
        const due = nearestOpen(target, addDays(target, -7), addDays(target, 7)) ?? target;
        const months = maintenanceMonths(a.sensitivity);
        const last = addMonths(due, -months);
        const plan = planAround(p, a, 3, last);
        plan.session_count = 3;
        plan.sessions = plan.sessions.slice(0, 3).map((s) => ({ ...s, status: "done" }));
        plan.status = "completed";
        plan.maintenance = [due, addMonths(due, months), addMonths(due, 2 * months)].filter((d) => d <= addMonths(last, 12));
      }
      const nextOpenFrom = (d) => firstOpenFrom(d) ?? d;
      const seeds = [
        // Session 2 of 6 today.
        (p) => {
          recordScreening(p.id, clean2(addDays(T, -40)), by, addDays(T, -40));
          const a = recordAssessment(p.id, { ...base, grade: 3, counts: { macular: 8, moderate: 12, severe: 3, papular: 0, keloidal: 0 }, fitzpatrick: 3, sensitivity: "normal", scar_age_years: 7 }, by, addDays(T, -40));
          planAround(p, a, 2, T);
        },
        // Session 1 of 4 today; sensitive, darker skin, herpes history.
        (p) => {
          recordScreening(p.id, answering(addDays(T, -7), { herpes_simplex: null }), by, addDays(T, -7));
          const a = recordAssessment(p.id, { ...base, scar_types: ["rolling"], grade: 2, counts: { macular: 14, moderate: 4, severe: 0, papular: 0, keloidal: 0 }, fitzpatrick: 4, sensitivity: "sensitive", treatment_areas: ["cheeks", "chin"], scar_age_years: 2 }, by, addDays(T, -7));
          planAround(p, a, 1, T, T);
        },
        // Session 3 later this week or next.
        (p) => {
          recordScreening(p.id, clean2(addDays(T, -75)), by, addDays(T, -75));
          const a = recordAssessment(p.id, { ...base, scar_types: ["ice_pick", "boxcar"], grade: 3, counts: { macular: 5, moderate: 9, severe: 11, papular: 0, keloidal: 0 }, fitzpatrick: 2, sensitivity: "resilient", scar_age_years: 4 }, by, addDays(T, -75));
          planAround(p, a, 3, nextOpenFrom(addDays(T, 2)));
        },
        // Session 1 tomorrow (or the next open day).
        (p) => {
          recordScreening(p.id, clean2(addDays(T, -3)), by, addDays(T, -3));
          const a = recordAssessment(p.id, { ...base, grade: 1, counts: { macular: 6, moderate: 0, severe: 0, papular: 0, keloidal: 0 }, fitzpatrick: 2, sensitivity: "normal", scar_age_years: 1 }, by, addDays(T, -3));
          const first = nextOpenFrom(addDays(T, 1));
          planAround(p, a, 1, first, first);
        },
        // A finished course; the recall was due three days ago.
        (p) => {
          recordScreening(p.id, clean2(addMonths(T, -5)), by, addMonths(T, -5));
          const a = recordAssessment(p.id, { ...base, grade: 2, counts: { macular: 9, moderate: 3, severe: 0, papular: 0, keloidal: 0 }, fitzpatrick: 1, sensitivity: "normal", scar_age_years: 3 }, by, addMonths(T, -8));
          finishedWithRecall(p, a, addDays(T, -3));
        },
        // A finished course; the recall is due in four days.
        (p) => {
          recordScreening(p.id, clean2(addMonths(T, -5)), by, addMonths(T, -5));
          const a = recordAssessment(p.id, { ...base, grade: 2, counts: { macular: 4, moderate: 6, severe: 0, papular: 0, keloidal: 0 }, fitzpatrick: 3, sensitivity: "resilient", scar_age_years: 2 }, by, addMonths(T, -7));
          finishedWithRecall(p, a, addDays(T, 4));
        },
        // Screened two months after isotretinoin: not yet eligible; assessed, no plan.
        (p) => {
          recordScreening(p.id, answering(T, { isotretinoin: addMonths(T, -2) }), by, T);
          recordAssessment(p.id, { ...base, grade: 3, counts: { macular: 3, moderate: 10, severe: 2, papular: 1, keloidal: 0 }, fitzpatrick: 3, sensitivity: "normal", scar_age_years: 1 }, by, T);
        }
      ];
      seeds.forEach((seed, i) => {
        if (people[i]) seed(people[i]);
      });
    }
    const newestFirst = (xs, date) => [...xs].sort((a, b) => date(a) === date(b) ? b.id - a.id : date(a) < date(b) ? 1 : -1);
    const handlers = {
      screening_questions: () => {
        require2("record");
        return questions();
      },
      set_session_time: (a) => {
        require2("move");
        const id = arg$1(a, "sessionId");
        const raw = arg$1(a, "time").trim();
        const m = /^(\d{1,2}):(\d{2})$/.exec(raw);
        if (raw !== "" && (!m || Number(m[1]) > 23 || Number(m[2]) > 59))
          throw validationError([
            { field: "time", message: `"${raw}" is not a time; use the 24-hour form HH:MM, e.g. 09:30 or 14:15.` }
          ]);
        const plan = plans.find((p) => p.sessions.some((s) => s.id === id));
        const session = plan == null ? void 0 : plan.sessions.find((s) => s.id === id);
        if (!plan || !session) throw new MockError("not_found", `Session ${id} was not found; it may have been removed.`);
        session.time = m ? `${m[1].padStart(2, "0")}:${m[2]}` : null;
        return structuredClone(plan);
      },
      backup_status: () => {
        require2("calendar");
        return structuredClone(backup);
      },
      contraindication_rules: () => {
        require2("settings");
        return structuredClone(rules);
      },
      update_contraindication_rules: (a) => {
        require2("edit-settings");
        const given = arg$1(a, "rules");
        const errors = [];
        const next = [];
        for (const r of rules) {
          const g = given.find((x) => x.condition === r.condition);
          if (!g) {
            errors.push({ field: `rules.${r.condition}`, message: `Say how to treat: ${QUESTION[r.condition]}` });
            continue;
          }
          const months = g.kind === "washout" ? g.washout_months : null;
          if (g.kind === "washout" && (months === null || months < 1 || months > 24))
            errors.push({ field: `rules.${r.condition}`, message: "A waiting period is 1 to 24 months after the last date." });
          next.push({ condition: r.condition, kind: g.kind, washout_months: months });
        }
        if (errors.length) throw validationError(errors);
        rules = next;
        return structuredClone(rules);
      },
      record_screening: (a) => {
        const s = require2("record");
        const patientId = arg$1(a, "patientId");
        ctx.findPatient(patientId);
        return structuredClone(recordScreening(patientId, arg$1(a, "input"), s.display_name));
      },
      list_screenings: (a) => {
        require2("read");
        const patientId = arg$1(a, "patientId");
        ctx.findPatient(patientId);
        return structuredClone(newestFirst(screenings.filter((s) => s.patient_id === patientId), (s) => s.screened_on));
      },
      score_assessment: (a) => {
        require2("record");
        const c = arg$1(a, "counts");
        return gbScore({
          macular: Number(c.macular) || 0,
          moderate: Number(c.moderate) || 0,
          severe: Number(c.severe) || 0,
          papular: Number(c.papular) || 0,
          keloidal: Number(c.keloidal) || 0
        });
      },
      record_assessment: (a) => {
        const s = require2("record");
        const patientId = arg$1(a, "patientId");
        ctx.findPatient(patientId);
        return structuredClone(recordAssessment(patientId, arg$1(a, "input"), s.display_name));
      },
      list_assessments: (a) => {
        require2("read");
        const patientId = arg$1(a, "patientId");
        ctx.findPatient(patientId);
        return structuredClone(newestFirst(assessments.filter((x) => x.patient_id === patientId), (x) => x.assessed_on));
      },
      propose_plan: (a) => {
        require2("plan");
        return structuredClone(propose(arg$1(a, "input")).proposal);
      },
      accept_plan: (a) => {
        require2("plan");
        const req = arg$1(a, "input");
        const engine = propose(req);
        if (plans.some((p) => p.patient_id === req.patient_id && (p.status === "active" || p.status === "paused")))
          throw new MockError(
            "conflict",
            "This patient already has a plan in progress: complete or cancel it before accepting a new one."
          );
        return structuredClone(storePlan(req, engine));
      },
      list_plans: (a) => {
        require2("read");
        const patientId = arg$1(a, "patientId");
        ctx.findPatient(patientId);
        return structuredClone(plans.filter((p) => p.patient_id === patientId).sort((x, y) => y.id - x.id));
      },
      reschedule_session: (a) => {
        require2("move");
        return structuredClone(reschedule(arg$1(a, "sessionId"), arg$1(a, "date")));
      },
      set_plan_status: (a) => {
        require2("plan");
        return structuredClone(setStatus(arg$1(a, "planId"), arg$1(a, "status"), arg$1(a, "reason")));
      },
      calendar: (a) => {
        require2("calendar");
        const errors = [];
        const from = dateField(errors, "from", "The first day", arg$1(a, "from"));
        if (errors.length) throw validationError(errors);
        const to = dateField(errors, "to", "The last day", arg$1(a, "to"));
        if (errors.length) throw validationError(errors);
        if (to < from) throw validationError([{ field: "to", message: "The last day is before the first day." }]);
        if (daysBetween(from, to) > 62)
          throw validationError([{ field: "to", message: "Ask for at most 62 days at a time." }]);
        return entriesBetween(from, to);
      },
      today: () => {
        require2("calendar");
        return { date: ctx.today, sessions: entriesBetween(ctx.today, ctx.today), recalls: recallsDue(addDays(ctx.today, 7)), consultations: [] };
      },
      plan_settings: () => {
        require2("settings");
        return structuredClone(settings);
      },
      update_plan_settings: (a) => {
        require2("edit-settings");
        const next = validateSettings(arg$1(a, "settings"));
        Object.assign(settings, next);
        return structuredClone(settings);
      }
    };
    const internals = {
      require: require2,
      latestScreening,
      nextSession,
      recallDates,
      rulesOf: (plan) => rulesOf.get(plan.id) ?? {
        interval: plan.interval_weeks,
        shortest: D().shortest_interval_weeks,
        maintenanceMonths: D().maintenance_months_normal
      },
      defaults: D
    };
    return { screenings, assessments, plans, settings, backup, handlers, seedDemo, internals };
  }
  const AREA_LABELS = {
    forehead: "Forehead",
    temples: "Temples",
    nose: "Nose",
    around_eyes: "Around the eyes",
    cheekbones: "Cheekbones",
    cheeks: "Cheeks",
    chin: "Chin",
    upper_lip: "Upper lip",
    jawline: "Jawline",
    neck: "Neck",
    chest: "Chest",
    back: "Back"
  };
  const ZONE_LABELS = {
    forehead: "Forehead",
    nose: "Nose",
    around_eyes: "Around the eyes",
    cheekbones: "Cheekbones",
    cheeks_chin: "Cheeks and chin",
    upper_lip: "Upper lip",
    scarred_areas: "Scarred areas"
  };
  const ADVERSE_EVENT_LABELS = {
    erythema: "Prolonged erythema",
    oedema: "Oedema",
    pih: "Post-inflammatory hyperpigmentation",
    acne_flare: "Acne flare",
    infection: "Infection",
    herpes_reactivation: "Herpes reactivation",
    tram_track_scarring: "Tram-track scarring",
    granuloma: "Granuloma",
    other: "Other"
  };
  function formatMm(um) {
    const whole = Math.floor(um / 1e3);
    const frac = String(um % 1e3).padStart(3, "0").replace(/0+$/, "");
    return `${whole}.${frac || "0"}`;
  }
  function parseMm(raw) {
    const s = raw.trim().replace(/mm$/, "").trim().replace(",", ".");
    const m = /^(\d{0,3})(?:\.(\d{0,3}))?$/.exec(s);
    if (!m || m[1] === "" && (m[2] ?? "") === "") return null;
    return Number(m[1] || "0") * 1e3 + Number((m[2] ?? "").padEnd(3, "0"));
  }
  const DEFAULT_DEPTH_CHART = [
    { zone: "forehead", thin: { min_um: 250, max_um: 500 }, thick: { min_um: 500, max_um: 750 } },
    { zone: "nose", thin: { min_um: 250, max_um: 250 }, thick: { min_um: 500, max_um: 500 } },
    { zone: "around_eyes", thin: { min_um: 250, max_um: 250 }, thick: { min_um: 250, max_um: 500 } },
    { zone: "cheekbones", thin: { min_um: 500, max_um: 500 }, thick: { min_um: 500, max_um: 1e3 } },
    { zone: "cheeks_chin", thin: { min_um: 500, max_um: 1e3 }, thick: { min_um: 1e3, max_um: 2e3 } },
    { zone: "upper_lip", thin: { min_um: 250, max_um: 250 }, thick: { min_um: 250, max_um: 750 } },
    { zone: "scarred_areas", thin: { min_um: 1e3, max_um: 1250 }, thick: { min_um: 1500, max_um: 2e3 } }
  ];
  const MAX_DEPTH_UM = 3e3;
  const SHORT_TEXT = 200;
  const LONG_TEXT = 2e3;
  const SLOW_HEALING_REDNESS_DAYS = 3;
  const NO_CLEAR_CHANGE_POINTS = 4;
  function arg(a, key) {
    if (!(key in a)) throw new Error(`invalid args \`${key}\`: missing required key ${key}`);
    return a[key];
  }
  function text$1(errors, field, label, raw, max) {
    const s = String(raw ?? "");
    if ([...s].some((c) => new RegExp("\\p{Cc}", "u").test(c) && c !== "\n" && c !== "\r" && c !== "	")) {
      errors.push({ field, message: `${label} contains characters that cannot be printed.` });
      return "";
    }
    const v = s.trim();
    const n = [...v].length;
    if (n > max) errors.push({ field, message: `${label} is too long: ${n} characters, the limit is ${max}.` });
    return v;
  }
  function pastDate(errors, field, label, raw, today) {
    const v = String(raw ?? "").trim();
    if (v === "") errors.push({ field, message: `Enter the ${label.toLowerCase()}.` });
    else if (!isIsoDate(v)) errors.push({ field, message: `${label} "${v}" is not a date; use the form YYYY-MM-DD, e.g. 1990-05-17.` });
    else if (v > today) errors.push({ field, message: `The ${label.toLowerCase()} ${v} is in the future; today is ${today}.` });
    else return v;
    return null;
  }
  const basename = (path) => path.split(/[\\/]/).pop() ?? path;
  const PIXEL = Uint8Array.from(
    atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="),
    (c) => c.charCodeAt(0)
  );
  function createSessions(ctx) {
    const records = [];
    const photos = [];
    const depthChart = structuredClone([...DEFAULT_DEPTH_CHART]);
    const exports = {};
    const dialog = { open: null, save: null };
    const gaps = /* @__PURE__ */ new Map();
    let nextRecordId = 1;
    let nextHealingId = 1;
    let nextEventId = 1;
    let nextPhotoId = 1;
    const { clinic } = ctx;
    function planOfSession(id) {
      for (const plan of ctx.plans) {
        const i = plan.sessions.findIndex((s) => s.id === id);
        if (i >= 0) return { plan, i };
      }
      throw new MockError("not_found", `Session ${id} was not found.`);
    }
    const recordsOf = (patientId) => records.filter((r) => r.patient_id === patientId).sort((a, b) => a.date === b.date ? b.id - a.id : a.date < b.date ? 1 : -1);
    function planStateRefusal(p) {
      if (p.status === "active") return null;
      if (p.status === "paused")
        return "This plan is paused (see the plan's rationale): a practitioner must review and resume it before the next session.";
      return `This plan is ${p.status}; no more sessions can be recorded in it.`;
    }
    function screeningGate(patientId, date) {
      const s = clinic.latestScreening(patientId);
      const fail = (message) => validationError([{ field: "screening", message }]);
      if (!s) throw fail("This patient has no screening on record: record a screening before the session.");
      const r = s.result;
      if (r.valid_until < date)
        throw fail(`The screening of ${s.screened_on} expired on ${r.valid_until}: renew the screening before the session.`);
      if (r.earliest_eligible && r.earliest_eligible > date)
        throw fail(`The screening's washout period runs until ${r.earliest_eligible}: no session before then.`);
      return {
        warnings: r.warnings.map((w) => w.message),
        block: r.allowed ? null : r.blocks.map((b) => b.message).join(" ")
      };
    }
    function draftInput(previous) {
      const blank = {
        date: ctx.today,
        numbing_cream: "",
        numbing_minutes: null,
        device: "",
        cartridge_lot: "",
        skin: "thin",
        depths: [],
        passes: 3,
        glide_product: "",
        glide_lot: "",
        endpoint: "erythema",
        immediate_reaction: "",
        duration_minutes: null,
        notes: "",
        confirm_above_ceiling: false,
        screening_override_reason: ""
      };
      if (!previous) return blank;
      return {
        ...blank,
        numbing_cream: previous.numbing_cream,
        numbing_minutes: previous.numbing_minutes,
        device: previous.device,
        cartridge_lot: previous.cartridge_lot,
        skin: previous.skin,
        depths: previous.depths.map((d) => ({ zone: d.zone, depth_mm: formatMm(d.depth_um) })),
        passes: previous.passes,
        glide_product: previous.glide_product,
        glide_lot: previous.glide_lot,
        endpoint: previous.endpoint
      };
    }
    function validateRecord(input) {
      const errors = [];
      const date = pastDate(errors, "date", "Session date", input.date, ctx.today);
      const numbing_cream = text$1(errors, "numbing_cream", "Numbing cream", input.numbing_cream, SHORT_TEXT);
      if (input.numbing_minutes !== null && input.numbing_minutes > 180)
        errors.push({
          field: "numbing_minutes",
          message: `Numbing contact time of ${input.numbing_minutes} minutes is too long; enter at most 180.`
        });
      const device = text$1(errors, "device", "Device", input.device, SHORT_TEXT);
      if (device === "") errors.push({ field: "device", message: "Enter the device used." });
      const cartridge_lot = text$1(errors, "cartridge_lot", "Cartridge lot", input.cartridge_lot, SHORT_TEXT);
      if (input.depths.length === 0) errors.push({ field: "depths", message: "Enter the needle depth of at least one zone." });
      const depths = [];
      const above = [];
      input.depths.forEach((d, i) => {
        var _a;
        const field = `depth.${d.zone}`;
        const label = ZONE_LABELS[d.zone];
        if (input.depths.slice(0, i).some((e) => e.zone === d.zone)) {
          errors.push({ field, message: `${label} is entered twice.` });
          return;
        }
        const um = parseMm(d.depth_mm);
        if (um === null) {
          errors.push({ field, message: `${label}: "${d.depth_mm.trim()}" is not a depth; enter millimetres, e.g. 0.5.` });
          return;
        }
        if (um === 0 || um > MAX_DEPTH_UM) {
          errors.push({
            field,
            message: `${label}: a depth of ${formatMm(um)} mm is not possible; enter between 0.05 and ${formatMm(MAX_DEPTH_UM)} mm.`
          });
          return;
        }
        const ceiling = (_a = depthChart.find((z) => z.zone === d.zone)) == null ? void 0 : _a[input.skin].max_um;
        const over = ceiling !== void 0 && um > ceiling;
        if (over && !input.confirm_above_ceiling)
          above.push({
            field,
            message: `${label}: ${formatMm(um)} mm is above the ${formatMm(ceiling)} mm ceiling for ${input.skin} skin; confirm the depth to go ahead.`
          });
        depths.push({ zone: d.zone, depth_um: um, above_ceiling: over });
      });
      errors.push(...above);
      if (!(input.passes >= 1 && input.passes <= 20))
        errors.push({ field: "passes", message: "Enter the number of passes, from 1 to 20." });
      const glide_product = text$1(errors, "glide_product", "Glide or serum", input.glide_product, SHORT_TEXT);
      const glide_lot = text$1(errors, "glide_lot", "Glide or serum lot", input.glide_lot, SHORT_TEXT);
      const immediate_reaction = text$1(errors, "immediate_reaction", "Immediate reaction", input.immediate_reaction, LONG_TEXT);
      if (input.duration_minutes !== null && !(input.duration_minutes >= 1 && input.duration_minutes <= 480))
        errors.push({ field: "duration_minutes", message: "Enter the session's duration in minutes, from 1 to 480." });
      const notes = text$1(errors, "notes", "Notes", input.notes, LONG_TEXT);
      const screening_override_reason = text$1(
        errors,
        "screening_override_reason",
        "Override reason",
        input.screening_override_reason,
        LONG_TEXT
      );
      if (errors.length) throw validationError(errors);
      return {
        date: date ?? ctx.today,
        numbing_cream,
        numbing_minutes: input.numbing_minutes,
        device,
        cartridge_lot,
        skin: input.skin,
        depths,
        passes: input.passes,
        glide_product,
        glide_lot,
        endpoint: input.endpoint,
        immediate_reaction,
        duration_minutes: input.duration_minutes,
        notes,
        ceiling_confirmed: depths.some((d) => d.above_ceiling),
        screening_override_reason
      };
    }
    function replanAfter(plan, done, dates, i) {
      const rules = clinic.rulesOf(plan);
      const out = [...dates];
      for (let k = i + 1; k < out.length; k++) {
        if (done[k]) continue;
        const w = gaps.get(plan.sessions[k].id) ?? rules.interval;
        out[k] = clinic.nextSession(k + 1, out[k - 1], w, rules.shortest);
      }
      return out;
    }
    function applyDates(plan, dates) {
      plan.sessions.forEach((s, k) => {
        if (s.status === "planned" && s.date !== dates[k]) {
          s.date = dates[k];
          s.time = null;
        }
      });
      plan.maintenance = clinic.recallDates(dates[dates.length - 1], clinic.rulesOf(plan).maintenanceMonths);
    }
    function recordSession(s, plannedSessionId, input) {
      const { plan, i } = planOfSession(plannedSessionId);
      const refusal = planStateRefusal(plan);
      if (refusal) throw new MockError("conflict", refusal);
      const ps = plan.sessions[i];
      if (ps.status !== "planned") throw new MockError("conflict", `Session ${ps.n} is already ${ps.status}.`);
      const earlier = plan.sessions.slice(0, i).find((x) => x.status === "planned");
      if (earlier)
        throw new MockError("conflict", `Session ${earlier.n} is not recorded yet: record the sessions in order.`);
      const v = validateRecord(input);
      const last = recordsOf(plan.patient_id)[0];
      if (last && v.date <= last.date)
        throw validationError([
          { field: "date", message: `The session date ${v.date} is not after the previous session on ${last.date}.` }
        ]);
      const prev = plan.sessions.slice(0, i).reverse().find((x) => x.status === "done");
      const rules = clinic.rulesOf(plan);
      if (prev) {
        const earliest = addDays(prev.date, 7 * rules.shortest);
        if (v.date < earliest)
          throw validationError([
            {
              field: "date",
              message: `Session ${ps.n} must be at least ${rules.shortest} weeks after session ${prev.n} (${prev.date}); the earliest allowed date is ${earliest}.`
            }
          ]);
      }
      const { warnings, block } = screeningGate(plan.patient_id, v.date);
      if (block && v.screening_override_reason === "")
        throw validationError([
          {
            field: "screening_override_reason",
            message: `The screening blocks treatment: ${block} A session needs the practitioner's override with a written reason.`
          }
        ]);
      const record = {
        id: nextRecordId++,
        patient_id: plan.patient_id,
        plan_id: plan.id,
        planned_session_id: ps.id,
        n: ps.n,
        ...v,
        practitioner: s.username,
        created_at: ctx.now(),
        warnings,
        healing: null
      };
      records.push(record);
      const done = plan.sessions.map((x) => x.status !== "planned");
      done[i] = true;
      const dates = plan.sessions.map((x) => x.date);
      dates[i] = v.date;
      const replanned = replanAfter(plan, done, dates, i);
      ps.status = "done";
      ps.date = v.date;
      applyDates(plan, replanned);
      if (done.every(Boolean)) {
        plan.status = "completed";
        plan.rationale.push(`${v.date}: course completed with session ${ps.n}.`);
      }
      return record;
    }
    function validateHealing(input, sessionDate) {
      const errors = [];
      let reported = pastDate(errors, "reported_on", "Report date", input.reported_on, ctx.today);
      if (reported && reported < sessionDate) {
        errors.push({ field: "reported_on", message: `The report date ${reported} is before the session on ${sessionDate}.` });
        reported = null;
      }
      for (const [field, v, label] of [
        ["redness_days", input.redness_days, "redness"],
        ["flaking_days", input.flaking_days, "flaking"]
      ]) {
        if (v > 90) errors.push({ field, message: `${v} days of ${label} is more than 90; check the number.` });
      }
      const events = [];
      input.events.forEach((e, i) => {
        const field = `events.${e.kind}`;
        if (input.events.slice(0, i).some((x) => x.kind === e.kind)) {
          errors.push({ field, message: `${ADVERSE_EVENT_LABELS[e.kind]} is listed twice.` });
          return;
        }
        const description = text$1(errors, field, "The description", e.description, LONG_TEXT);
        if (e.kind === "other" && description === "") errors.push({ field, message: "Describe the adverse event." });
        events.push({ kind: e.kind, description });
      });
      const notes = text$1(errors, "notes", "Notes", input.notes, LONG_TEXT);
      if (errors.length) throw validationError(errors);
      return { reported_on: reported ?? ctx.today, redness_days: input.redness_days, flaking_days: input.flaking_days, events, notes };
    }
    function recordHealing(s, recordId, input) {
      const record = records.find((r) => r.id === recordId);
      if (!record) throw new MockError("not_found", `Session record ${recordId} was not found.`);
      const v = validateHealing(input, record.date);
      if (record.healing) throw new MockError("conflict", `Session ${record.n} already has a healing report.`);
      const { plan: p, i } = planOfSession(record.planned_session_id);
      const rules = clinic.rulesOf(p);
      const d = clinic.defaults();
      const upcoming = (from) => {
        for (let k = from; k < p.sessions.length; k++) if (p.sessions[k].status === "planned") return k;
        return null;
      };
      let target = upcoming(i + 1);
      if (target !== null && p.sessions[target].date <= v.reported_on) target = upcoming(target + 1);
      const inProgress = p.status === "active" || p.status === "paused";
      const current = (target !== null ? gaps.get(p.sessions[target].id) : void 0) ?? rules.interval;
      const pause = v.events.length > 0;
      const longer = v.redness_days > SLOW_HEALING_REDNESS_DAYS ? Math.min(current + d.slow_healing_extra_weeks, Math.max(d.max_interval_weeks, current)) : current;
      let sentence = "";
      if (pause && inProgress) {
        p.status = "paused";
        sentence = `${v.reported_on}: plan paused after an adverse event (${v.events.map((e) => ADVERSE_EVENT_LABELS[e.kind]).join(", ")}) following session ${record.n} on ${record.date}; a practitioner must review and resume it.`;
      } else if (target !== null && longer > current && inProgress) {
        const k = target;
        const from = p.sessions[k].date;
        gaps.set(p.sessions[k].id, longer);
        const done = p.sessions.map((x) => x.status !== "planned");
        const dates = replanAfter(p, done, p.sessions.map((x) => x.date), k - 1);
        applyDates(p, dates);
        sentence = `${v.reported_on}: redness lasted ${v.redness_days} days after session ${record.n} (more than ${SLOW_HEALING_REDNESS_DAYS}): session ${p.sessions[k].n} moved from ${from} to ${dates[k]}, ${longer} weeks after session ${p.sessions[k - 1].n} instead of ${current}.`;
      } else if (v.redness_days > SLOW_HEALING_REDNESS_DAYS && inProgress && target !== null) {
        sentence = `${v.reported_on}: Redness lasted ${v.redness_days} days, but ${current} weeks is already the longest interval.`;
      }
      if (sentence) p.rationale.push(sentence);
      record.healing = {
        id: nextHealingId++,
        session_record_id: record.id,
        reported_on: v.reported_on,
        redness_days: v.redness_days,
        flaking_days: v.flaking_days,
        events: v.events.map((e) => ({ id: nextEventId++, kind: e.kind, description: e.description })),
        notes: v.notes,
        decision: sentence,
        recorded_by: s.username,
        created_at: ctx.now()
      };
      return { record: structuredClone(record), plan: structuredClone(p) };
    }
    function eventFilter(f) {
      const errors = [];
      const date = (field, label, raw) => {
        const v = raw.trim();
        if (v === "") return null;
        if (!isIsoDate(v)) {
          errors.push({ field, message: `${label} "${v}" is not a date; use the form YYYY-MM-DD, e.g. 1990-05-17.` });
          return null;
        }
        return v;
      };
      const from = date("from", "From", f.from ?? "");
      const to = date("to", "To", f.to ?? "");
      if (from && to && to < from) errors.push({ field: "to", message: "The last day is before the first day." });
      const lot = text$1(errors, "lot", "Lot", f.lot, SHORT_TEXT);
      if (errors.length) throw validationError(errors);
      return { kind: f.kind, from, to, lot: lot.toLowerCase() };
    }
    function register(raw) {
      const f = eventFilter(raw);
      const out = [];
      for (const r of records) {
        const h = r.healing;
        if (!h) continue;
        if (f.from && h.reported_on < f.from) continue;
        if (f.to && h.reported_on > f.to) continue;
        if (f.lot && !r.cartridge_lot.toLowerCase().includes(f.lot) && !r.glide_lot.toLowerCase().includes(f.lot)) continue;
        const p = ctx.findPatient(r.patient_id);
        for (const e of h.events) {
          if (f.kind && e.kind !== f.kind) continue;
          out.push({
            event_id: e.id,
            kind: e.kind,
            description: e.description,
            reported_on: h.reported_on,
            patient_id: p.id,
            patient_number: p.patient_number,
            first_name: p.first_name,
            last_name: p.last_name,
            session_record_id: r.id,
            session_date: r.date,
            n: r.n,
            device: r.device,
            cartridge_lot: r.cartridge_lot,
            depths: r.depths,
            passes: r.passes,
            numbing_cream: r.numbing_cream,
            glide_product: r.glide_product,
            glide_lot: r.glide_lot,
            practitioner: r.practitioner
          });
        }
      }
      return out.sort(
        (a, b) => a.reported_on === b.reported_on ? b.event_id - a.event_id : a.reported_on < b.reported_on ? 1 : -1
      );
    }
    function csv(entries) {
      const cell = (v) => /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
      const head = "reported_on,event,description,patient_number,last_name,first_name,session_date,session_number,device,cartridge_lot,depths_mm,passes,numbing_cream,glide_product,glide_lot,practitioner";
      const rows = entries.map(
        (e) => [
          e.reported_on,
          e.kind,
          e.description,
          e.patient_number,
          e.last_name,
          e.first_name,
          e.session_date,
          String(e.n),
          e.device,
          e.cartridge_lot,
          e.depths.map((d) => `${d.zone} ${formatMm(d.depth_um)}`).join("; "),
          String(e.passes),
          e.numbing_cream,
          e.glide_product,
          e.glide_lot,
          e.practitioner
        ].map(cell).join(",")
      );
      return `\uFEFF${[head, ...rows].join("\r\n")}\r
`;
    }
    function progressOf(patientId) {
      var _a, _b;
      const points = ctx.assessments.filter((a) => a.patient_id === patientId).map((a) => ({ assessment_id: a.id, date: a.assessed_on, score: a.score, grade: a.grade })).sort((a, b2) => a.date === b2.date ? a.assessment_id - b2.assessment_id : a.date < b2.date ? -1 : 1);
      const baseline = ((_a = points[0]) == null ? void 0 : _a.score) ?? null;
      const latest = ((_b = points[points.length - 1]) == null ? void 0 : _b.score) ?? null;
      if (points.length < 2)
        return {
          points,
          baseline,
          latest,
          change: null,
          improvement_percent: null,
          verdict: "not_enough_data",
          summary: "One assessment so far: progress shows from the second assessment on."
        };
      const b = baseline ?? 0;
      const l = latest ?? 0;
      const change = l - b;
      const num = (b - l) * 100;
      const pct = b > 0 ? num >= 0 ? Math.floor((num + Math.floor(b / 2)) / b) : -Math.floor((-num + Math.floor(b / 2)) / b) : null;
      const verdict = Math.abs(change) <= NO_CLEAR_CHANGE_POINTS ? "no_clear_change" : change < 0 ? "improved" : "worse";
      const summary2 = verdict === "no_clear_change" ? `Score ${b} → ${l}: no clear change (a change of ${NO_CLEAR_CHANGE_POINTS} points or less is within the variation between assessors).` : verdict === "improved" ? `Score ${b} → ${l}${pct !== null ? ` (${pct}% improvement)` : ""} since the baseline.` : `Score ${b} → ${l}: worse than the baseline by ${change} points.`;
      return { points, baseline, latest, change, improvement_percent: pct, verdict, summary: summary2 };
    }
    const photosOf = (patientId) => photos.filter((p) => p.patient_id === patientId).sort((a, b) => a.taken_on === b.taken_on ? b.id - a.id : a.taken_on < b.taken_on ? 1 : -1);
    function importPhoto(s, patientId, imp) {
      const name2 = basename(imp.path) || "The file";
      const ext = name2.toLowerCase().split(".").pop() ?? "";
      const file = ctx.files[imp.path] ?? (ext === "jpg" || ext === "jpeg" ? { kind: "jpeg" } : ext === "png" ? { kind: "png" } : ext === "heic" ? { kind: "heic" } : { kind: "text" });
      const refuse = (message) => validationError([{ field: "file", message }]);
      if (file.kind === "heic")
        throw refuse(
          `${name2} is a HEIC photo, which Dermis cannot read yet: export it as JPEG (on an iPhone: Settings → Camera → Formats → Most Compatible) and import that. Nothing was imported.`
        );
      if (file.kind === "text") throw refuse(`${name2} is not a JPEG or PNG image. Nothing was imported.`);
      const errors = [];
      let taken = imp.tags.taken_on.trim();
      if (taken === "") taken = file.camera_date && file.camera_date <= ctx.today ? file.camera_date : ctx.today;
      else taken = pastDate(errors, "taken_on", "Photo date", taken, ctx.today) ?? ctx.today;
      if (errors.length) throw validationError(errors);
      if (imp.tags.session_record_id !== null && !records.some((r) => r.id === imp.tags.session_record_id && r.patient_id === patientId))
        throw validationError([{ field: "session_record_id", message: "Choose one of this patient's sessions." }]);
      if (imp.tags.assessment_id !== null && !ctx.assessments.some((a) => a.id === imp.tags.assessment_id && a.patient_id === patientId))
        throw validationError([{ field: "assessment_id", message: "Choose one of this patient's assessments." }]);
      const sha256 = [...imp.path].reduce((h, c) => h * 31 + c.charCodeAt(0) >>> 0, 7).toString(16).padStart(64, "0");
      if (photos.some((p) => p.patient_id === patientId && p.sha256 === sha256))
        throw new MockError("conflict", "This photo is already in the patient's record.");
      const photo = {
        id: nextPhotoId++,
        patient_id: patientId,
        sha256,
        mime: file.kind === "png" ? "image/png" : "image/jpeg",
        width: file.width ?? 1600,
        height: file.height ?? 1200,
        taken_on: taken,
        area: imp.tags.area,
        angle: imp.tags.angle,
        session_record_id: imp.tags.session_record_id,
        assessment_id: imp.tags.assessment_id,
        imported_by: s.username,
        imported_at: ctx.now()
      };
      photos.push(photo);
      return photo;
    }
    function beforeAfterOf(patientId) {
      const sorted = [...photosOf(patientId)].sort((a, b) => {
        const ka = `${Object.keys(AREA_LABELS).indexOf(a.area)}\0${a.angle}\0${a.taken_on}`;
        const kb = `${Object.keys(AREA_LABELS).indexOf(b.area)}\0${b.angle}\0${b.taken_on}`;
        return ka === kb ? a.id - b.id : ka < kb ? -1 : 1;
      });
      const out = [];
      for (let i = 0; i < sorted.length; ) {
        let j = i;
        while (j + 1 < sorted.length && sorted[j + 1].area === sorted[i].area && sorted[j + 1].angle === sorted[i].angle) j++;
        const first = sorted[i];
        const last = sorted[j];
        if (last.taken_on > first.taken_on) out.push({ area: first.area, angle: first.angle, before: first, after: last });
        i = j + 1;
      }
      return out;
    }
    const handlers = {
      depth_chart: () => {
        clinic.require("settings");
        return structuredClone(depthChart);
      },
      session_draft: (a) => {
        clinic.require("record");
        const id = arg(a, "plannedSessionId");
        const { plan, i } = planOfSession(id);
        const ps = plan.sessions[i];
        const previous = recordsOf(plan.patient_id)[0];
        let refused = planStateRefusal(plan);
        if (ps.status !== "planned") refused = `Session ${ps.n} is already ${ps.status}.`;
        let warnings = [];
        let blocked = null;
        try {
          const gate = screeningGate(plan.patient_id, ctx.today);
          warnings = gate.warnings;
          blocked = gate.block;
        } catch (e) {
          refused ?? (refused = e instanceof MockError ? e.message : String(e));
        }
        return structuredClone({
          planned_session_id: id,
          patient_id: plan.patient_id,
          plan_id: plan.id,
          n: ps.n,
          of: plan.session_count,
          planned_date: ps.date,
          input: draftInput(previous),
          copied_forward: previous !== void 0,
          depth_chart: depthChart,
          warnings,
          blocked,
          refused
        });
      },
      record_session: (a) => {
        const s = clinic.require("record");
        return structuredClone(recordSession(s, arg(a, "plannedSessionId"), arg(a, "input")));
      },
      list_session_records: (a) => {
        clinic.require("read");
        const patientId = arg(a, "patientId");
        ctx.findPatient(patientId);
        return structuredClone(recordsOf(patientId));
      },
      record_healing: (a) => {
        const s = clinic.require("record");
        return recordHealing(s, arg(a, "sessionRecordId"), arg(a, "input"));
      },
      adverse_events: (a) => {
        clinic.require("read");
        return structuredClone(register(arg(a, "filter")));
      },
      export_adverse_events: (a) => {
        clinic.require("read");
        const entries = register(arg(a, "filter"));
        const path = arg(a, "path");
        exports[path] = csv(entries);
        return entries.length;
      },
      progress: (a) => {
        clinic.require("read");
        const patientId = arg(a, "patientId");
        ctx.findPatient(patientId);
        return progressOf(patientId);
      },
      list_photos: (a) => {
        clinic.require("read");
        const patientId = arg(a, "patientId");
        ctx.findPatient(patientId);
        return structuredClone(photosOf(patientId));
      },
      before_after: (a) => {
        clinic.require("read");
        const patientId = arg(a, "patientId");
        ctx.findPatient(patientId);
        return structuredClone(beforeAfterOf(patientId));
      },
      import_photo: (a) => {
        const s = clinic.require("record");
        const patientId = arg(a, "patientId");
        ctx.findPatient(patientId);
        return structuredClone(importPhoto(s, patientId, arg(a, "import")));
      },
      photo_data: (a) => {
        clinic.require("read");
        const id = arg(a, "photoId");
        if (!photos.some((p) => p.id === id)) throw new MockError("not_found", `Photo ${id} was not found.`);
        return PIXEL.slice().buffer;
      },
      "plugin:dialog|open": () => structuredClone(dialog.open),
      "plugin:dialog|save": () => dialog.save
    };
    return { records, photos, depthChart, exports, dialog, handlers };
  }
  const MOCK_ADMIN = {
    username: "admin",
    password: "correct horse battery",
    display_name: "Dr Amira Haddad"
  };
  const MOCK_RECEPTIONIST = {
    username: "desk",
    password: "front desk password",
    display_name: "Sam Reyes"
  };
  const MOCK_CLINIC_NAME = "Clearskin Clinic";
  const NAME_MAX = 100;
  const ADDRESS_MAX = 500;
  const NOTES_MAX = 5e3;
  function localToday() {
    const d = /* @__PURE__ */ new Date();
    const p = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  }
  function cleanText(s) {
    return s.trim().normalize("NFC").split(/\s+/u).filter(Boolean).join(" ");
  }
  function cleanMultiline(s) {
    return s.normalize("NFC").split(/\r?\n/).map(cleanText).join("\n").replace(/^\n+|\n+$/g, "");
  }
  function hasControl(s, allowNewline) {
    for (const c of s) {
      if (new RegExp("\\p{Cc}", "u").test(c) && !(allowNewline && (c === "\n" || c === "\r" || c === "	"))) return true;
    }
    return false;
  }
  function name(field, label, raw) {
    return (errors) => {
      if (hasControl(raw, false)) {
        errors.push({ field, message: `${label} contains characters that cannot be printed.` });
        return "";
      }
      const v = cleanText(raw);
      const n = [...v].length;
      if (v === "") errors.push({ field, message: `Enter the ${label.toLowerCase()}.` });
      else if (n > NAME_MAX)
        errors.push({ field, message: `${label} is too long: ${n} characters, the limit is ${NAME_MAX}.` });
      return v;
    };
  }
  function isRealDate(v) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    if (!m) return false;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
  }
  function dateOfBirth(raw, today) {
    return (errors) => {
      const field = "date_of_birth";
      const v = raw.trim();
      if (v === "") errors.push({ field, message: "Enter the date of birth." });
      else if (!isRealDate(v))
        errors.push({ field, message: `Date of birth "${v}" is not a date; use the form YYYY-MM-DD, e.g. 1990-05-17.` });
      else if (v > today) errors.push({ field, message: `Date of birth ${v} is in the future; today is ${today}.` });
      else if (v < "1900-01-01") errors.push({ field, message: "Date of birth is before 1900; check the year." });
      return v;
    };
  }
  function phone(field, raw, required) {
    return (errors) => {
      const v = cleanText(raw);
      if (v === "") {
        if (required) errors.push({ field, message: "Enter a phone number." });
        return v;
      }
      const bad = [...v].find((c) => !(new RegExp("\\p{N}", "u").test(c) || " +()-./".includes(c)));
      if (bad !== void 0) {
        errors.push({
          field,
          message: `A phone number can only contain digits, spaces and + ( ) - . / — "${bad}" is not allowed.`
        });
        return v;
      }
      if (v.slice(1).includes("+")) {
        errors.push({ field, message: 'A "+" can only start a phone number.' });
        return v;
      }
      const n = digits(v).length;
      if (n < 6) errors.push({ field, message: `This phone number has ${n} digits; a phone number has at least 6.` });
      else if (n > 15) errors.push({ field, message: `This phone number has ${n} digits; a phone number has at most 15.` });
      return v;
    };
  }
  function email(raw) {
    return (errors) => {
      const v = raw.trim();
      if (v === "") return v;
      const at = v.indexOf("@");
      const local = v.slice(0, at);
      const domain = v.slice(at + 1);
      const ok = at > 0 && !/\s/u.test(v) && [...v].length <= 254 && !domain.includes("@") && domain.includes(".") && !domain.startsWith(".") && !domain.endsWith(".") && !domain.includes("..") && local !== "";
      if (!ok) errors.push({ field: "email", message: `"${v}" is not an e-mail address (expected name@example.com).` });
      return v;
    };
  }
  function text(field, label, raw, max) {
    return (errors) => {
      if (hasControl(raw, true)) {
        errors.push({ field, message: `${label} contains characters that cannot be printed.` });
        return "";
      }
      const v = cleanMultiline(raw);
      const n = [...v].length;
      if (n > max) errors.push({ field, message: `${label} is too long: ${n} characters, the limit is ${max}.` });
      return v;
    };
  }
  function language(raw) {
    return (errors) => {
      const v = raw.trim();
      if (v === "") return v;
      const [primary, ...rest] = v.split("-");
      const ok = /^[A-Za-z]{2,3}$/.test(primary) && rest.every((p) => /^[A-Za-z0-9]{2,8}$/.test(p));
      if (!ok)
        errors.push({
          field: "preferred_language",
          message: `"${v}" is not a language code; choose a language from the list.`
        });
      return v;
    };
  }
  function validatePatient(input, today) {
    const errors = [];
    const out = {
      first_name: name("first_name", "First name", String(input.first_name ?? ""))(errors),
      last_name: name("last_name", "Last name", String(input.last_name ?? ""))(errors),
      date_of_birth: dateOfBirth(String(input.date_of_birth ?? ""), today)(errors),
      sex: input.sex ?? null,
      phone: phone("phone", String(input.phone ?? ""), false)(errors),
      email: email(String(input.email ?? ""))(errors),
      address: text("address", "Address", String(input.address ?? ""), ADDRESS_MAX)(errors),
      preferred_language: language(String(input.preferred_language ?? ""))(errors),
      notes: text("notes", "Notes", String(input.notes ?? ""), NOTES_MAX)(errors)
    };
    if (out.sex !== null && !["female", "male", "other"].includes(out.sex)) {
      errors.push({ field: "sex", message: "Choose female, male, other or not recorded." });
    }
    if (errors.length) throw validationError(errors);
    return out;
  }
  function validateSetup(input) {
    const errors = [];
    const clinicName = cleanText(String(input.clinic_name ?? ""));
    if (clinicName === "") errors.push({ field: "clinic_name", message: "Enter the clinic's name." });
    else if ([...clinicName].length > 200)
      errors.push({ field: "clinic_name", message: "The clinic name is too long: the limit is 200 characters." });
    const clinicAddress = text("clinic_address", "Address", String(input.clinic_address ?? ""), ADDRESS_MAX)(errors);
    const clinicPhone = phone("clinic_phone", String(input.clinic_phone ?? ""), true)(errors);
    const username = String(input.admin_username ?? "").trim();
    if (username === "") errors.push({ field: "admin_username", message: "Enter a user name." });
    else if ([...username].length < 3 || [...username].length > 32)
      errors.push({
        field: "admin_username",
        message: `A user name has 3 to 32 characters; this one has ${[...username].length}.`
      });
    else if (!/^[\p{L}\p{N}._-]+$/u.test(username))
      errors.push({
        field: "admin_username",
        message: "A user name can only contain letters, digits, dots, dashes and underscores."
      });
    const displayName = name("admin_display_name", "Your name", String(input.admin_display_name ?? ""))(errors);
    const password = String(input.password ?? "");
    if (password.trim() === "") errors.push({ field: "password", message: "Enter a password." });
    else if ([...password].length < 10)
      errors.push({
        field: "password",
        message: "A password needs at least 10 characters; a short sentence is easy to remember."
      });
    if (errors.length) throw validationError(errors);
    return {
      clinic_name: clinicName,
      clinic_address: clinicAddress,
      clinic_phone: clinicPhone,
      admin_username: username,
      admin_display_name: displayName,
      password
    };
  }
  function pad(n, width = 2) {
    return String(n).padStart(width, "0");
  }
  function parseDates(q) {
    if (isRealDate(q)) return [q];
    const parts2 = q.split(/[/.-]/);
    if (parts2.length !== 3 || parts2[2].length !== 4 || parts2.some((p) => p === "" || p.length > 4 || !/^\d+$/.test(p)))
      return [];
    const [a, b, y] = parts2.map(Number);
    const found = /* @__PURE__ */ new Set();
    for (const [month, day] of [
      [b, a],
      [a, b]
    ]) {
      const iso = `${pad(y, 4)}-${pad(month)}-${pad(day)}`;
      if (isRealDate(iso)) found.add(iso);
    }
    return [...found].sort();
  }
  function parseQuery(query) {
    const q = query.trim();
    const out = { words: [], dates: [], phoneDigits: null, patientNumber: null };
    if (q === "") return out;
    out.dates = parseDates(q);
    if (out.dates.length) return out;
    const lower = q.toLowerCase();
    if (lower.startsWith("p")) {
      const rest = lower.slice(1).replace(/^[- ]+/, "");
      if (rest !== "" && /^\d+$/.test(rest)) {
        out.patientNumber = Number(rest);
        return out;
      }
    }
    const phoneLike = [...q].every((c) => new RegExp("\\p{N}", "u").test(c) || " +()-./".includes(c));
    const d = digits(q);
    if (phoneLike && d !== "") {
      if (d.length <= 6) out.patientNumber = Number(d);
      if (d.length >= 3) out.phoneDigits = d;
      return out;
    }
    out.words = foldWords(q);
    return out;
  }
  function sortKey(p) {
    return `${fold(p.last_name)}\0${fold(p.first_name)}`;
  }
  function matches(p, q) {
    if (q.dates.length) return q.dates.includes(p.date_of_birth);
    if (q.patientNumber !== null || q.phoneDigits !== null) {
      const byNumber = q.patientNumber !== null && Number(p.patient_number.replace(/\D/g, "")) === q.patientNumber;
      const byPhone = q.phoneDigits !== null && digits(p.phone).includes(q.phoneDigits);
      return byNumber || byPhone;
    }
    if (!q.words.length) return false;
    const nameWords = foldWords(`${p.first_name} ${p.last_name}`);
    return q.words.every((w) => nameWords.some((nw) => nw.includes(w)));
  }
  function summary(p) {
    return {
      id: p.id,
      patient_number: p.patient_number,
      first_name: p.first_name,
      last_name: p.last_name,
      date_of_birth: p.date_of_birth,
      phone: p.phone,
      archived: p.archived
    };
  }
  function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
  function args(payload, key) {
    const v = payload[key];
    if (v === void 0) throw new MockError("internal", `invalid args \`${key}\`: missing required key ${key}`);
    return v;
  }
  function installMockBackend(options = {}) {
    const today = options.today ?? localToday();
    let needsSetup = options.needsSetup ?? false;
    let clinicName = needsSetup ? null : options.clinicName ?? MOCK_CLINIC_NAME;
    const users = needsSetup ? [] : [
      { id: 1, ...MOCK_ADMIN, roles: ["admin", "practitioner"] },
      { id: 2, ...MOCK_RECEPTIONIST, roles: ["receptionist"] }
    ];
    let session = null;
    const calls = [];
    const patients = [];
    let nextId = 1;
    const now = () => (/* @__PURE__ */ new Date()).toISOString().replace(/\.\d{3}Z$/, "Z");
    function sessionOf(u) {
      return { user_id: u.id, username: u.username, display_name: u.display_name, roles: [...u.roles] };
    }
    function addPatient(input, archived = false) {
      const id = nextId++;
      const at = now();
      const p = {
        id,
        patient_number: `P-${pad(id, 6)}`,
        ...input,
        archived,
        version: 1,
        created_at: at,
        updated_at: at
      };
      patients.push(p);
      return p;
    }
    for (const seed of options.patients ?? []) {
      const { archived, ...rest } = seed;
      addPatient(
        {
          date_of_birth: "1985-01-01",
          sex: null,
          phone: "",
          email: "",
          address: "",
          preferred_language: "",
          notes: "",
          ...rest
        },
        archived ?? false
      );
    }
    if (!needsSetup && options.signedIn)
      session = sessionOf(options.signedInAs === "receptionist" ? users[1] : users[0]);
    function requireSession() {
      if (!session) throw new MockError("forbidden", "Sign in to continue.");
      return session;
    }
    function find(id) {
      const p = patients.find((x) => x.id === id);
      if (!p) throw new MockError("not_found", `Patient ${id} was not found.`);
      return p;
    }
    const clinic = createClinic({ today, now, requireSession, findPatient: find, patients, sortKey });
    if (options.clinicalDemo) clinic.seedDemo();
    const sessions = createSessions({
      today,
      now,
      findPatient: find,
      patients,
      plans: clinic.plans,
      assessments: clinic.assessments,
      clinic: clinic.internals,
      files: options.files ?? {}
    });
    const admin = createAdmin({
      today,
      now,
      session: () => session,
      setSession: (s) => session = s,
      users,
      patients,
      findPatient: find,
      addPatient: (input) => addPatient(input),
      validatePatient: (input) => validatePatient(input, today),
      plans: clinic.plans,
      planSettings: clinic.settings,
      depthChart: sessions.depthChart,
      clinicName: () => clinicName,
      setClinicName: (n) => clinicName = n,
      baseToday: () => clinic.handlers.today(),
      baseCalendar: (a) => clinic.handlers.calendar(a)
    });
    const WHILE_LOCKED = /* @__PURE__ */ new Set(["app_status", "unlock_app", "lock_app", "logout", "app_info"]);
    const handlers = {
      ...appHandlers(),
      ...clinic.handlers,
      ...sessions.handlers,
      ...admin.handlers,
      app_status: () => ({
        needs_setup: needsSetup,
        clinic_name: clinicName,
        session,
        db_path: "/mock/dermis.sqlite3",
        idle_lock_minutes: admin.clinicSettings.idle_lock_minutes,
        locked: admin.lock.locked
      }),
      setup_clinic: (a) => {
        if (!needsSetup) throw new MockError("conflict", "This database already has a clinic.");
        const input = validateSetup(args(a, "input"));
        const user = {
          id: 1,
          username: input.admin_username,
          display_name: input.admin_display_name,
          password: input.password,
          roles: ["admin", "practitioner"]
        };
        users.push(user);
        clinicName = input.clinic_name;
        needsSetup = false;
        session = sessionOf(user);
        return session;
      },
      login: (a) => {
        const input = args(a, "input");
        if (needsSetup) throw new MockError("conflict", "Set up the clinic first.");
        const errors = [];
        if (input.username.trim() === "") errors.push({ field: "username", message: "Enter your user name." });
        if (input.password === "") errors.push({ field: "password", message: "Enter your password." });
        if (errors.length) throw validationError(errors);
        const user = users.find(
          (u) => u.username === input.username.trim() && u.password === input.password && u.active !== false
        );
        if (!user) throw new MockError("forbidden", "The user name or password is not right.");
        session = sessionOf(user);
        admin.lock.locked = false;
        return session;
      },
      logout: () => {
        session = null;
        admin.lock.locked = false;
        return null;
      },
      search_patients: (a) => {
        requireSession();
        const s = args(a, "search");
        const offset = Math.max(0, Math.floor(s.offset));
        const limit = Math.min(200, Math.max(1, Math.floor(s.limit)));
        const q = parseQuery(s.query);
        const empty = q.words.length === 0 && q.dates.length === 0 && q.phoneDigits === null && q.patientNumber === null;
        const found = patients.filter((p) => s.include_archived || !p.archived).filter((p) => empty || matches(p, q)).sort((x, y) => sortKey(x) < sortKey(y) ? -1 : sortKey(x) > sortKey(y) ? 1 : x.id - y.id);
        return {
          items: found.slice(offset, offset + limit).map(summary),
          offset,
          has_more: found.length > offset + limit
        };
      },
      get_patient: (a) => {
        requireSession();
        return structuredClone(find(args(a, "id")));
      },
      create_patient: (a) => {
        requireSession();
        const input = validatePatient(args(a, "input"), today);
        return structuredClone(addPatient(input));
      },
      update_patient: (a) => {
        requireSession();
        const p = find(args(a, "id"));
        const expected = args(a, "expectedVersion");
        if (p.version !== expected)
          throw new MockError(
            "conflict",
            "Someone else changed this patient since you opened it. Reload to see their changes, then make yours again."
          );
        const input = validatePatient(args(a, "input"), today);
        Object.assign(p, input, { version: p.version + 1, updated_at: now() });
        return structuredClone(p);
      },
      set_patient_archived: (a) => {
        requireSession();
        const p = find(args(a, "id"));
        const archived = args(a, "archived");
        if (p.archived !== archived) Object.assign(p, { archived, version: p.version + 1, updated_at: now() });
        return structuredClone(p);
      }
    };
    mockIPC(async (command, payload) => {
      var _a;
      const a = payload ?? {};
      calls.push({ command, args: structuredClone(a) });
      const ms = ((_a = options.delay) == null ? void 0 : _a.call(options, command, a)) ?? 0;
      if (ms > 0) await sleep(ms);
      const handler = handlers[command];
      if (!handler) throw `Command ${command} not found`;
      try {
        if (admin.lock.locked && !WHILE_LOCKED.has(command) && !command.startsWith("plugin:"))
          throw new MockError("locked", "Dermis is locked. Enter your password to continue.");
        return handler(a);
      } catch (e) {
        if (e instanceof MockError) throw e.plain();
        throw e;
      }
    }, { shouldMockEvents: true });
    return {
      calls,
      patients,
      clinic: { screenings: clinic.screenings, assessments: clinic.assessments, plans: clinic.plans, settings: clinic.settings, backup: clinic.backup },
      sessions: { records: sessions.records, photos: sessions.photos, depthChart: sessions.depthChart, exports: sessions.exports, dialog: sessions.dialog },
      admin: (({ handlers: _h, ...rest }) => rest)(admin),
      users,
      touchPatient(id, changes = {}) {
        const p = find(id);
        Object.assign(p, changes, { version: p.version + 1, updated_at: now() });
        return structuredClone(p);
      },
      uninstall: clearMocks
    };
  }
  const DEMO_PATIENTS = [
    { first_name: "José", last_name: "García", date_of_birth: "1991-03-14", sex: "male", phone: "+34 612 345 678", email: "jose.garcia@example.es", preferred_language: "es", address: "Calle Mayor 12, 3º B\n28013 Madrid" },
    { first_name: "María José", last_name: "Fernández López", date_of_birth: "1988-11-02", sex: "female", phone: "+34 699 112 233", preferred_language: "es" },
    { first_name: "Zoë", last_name: "Müller", date_of_birth: "1996-07-21", sex: "female", phone: "+49 30 1234567", email: "zoe.mueller@example.de", preferred_language: "de" },
    { first_name: "François", last_name: "Dupont", date_of_birth: "1979-01-30", sex: "male", phone: "+33 6 12 34 56 78", preferred_language: "fr", notes: "Prefers morning appointments." },
    { first_name: "Siobhán", last_name: "O'Brien", date_of_birth: "1993-05-17", sex: "female", phone: "+353 87 123 4567", email: "siobhan.obrien@example.ie", preferred_language: "en" },
    { first_name: "Łukasz", last_name: "Kowalski", date_of_birth: "1985-09-09", sex: "male", phone: "+48 601 234 567", preferred_language: "pl" },
    { first_name: "Ayşe", last_name: "Yılmaz", date_of_birth: "1990-12-01", sex: "female", phone: "+90 532 123 45 67", preferred_language: "tr" },
    { first_name: "Γιώργος", last_name: "Παπαδόπουλος", date_of_birth: "1982-04-25", sex: "male", phone: "+30 691 234 5678", preferred_language: "el" },
    { first_name: "Анна", last_name: "Иванова", date_of_birth: "1998-02-14", sex: "female", phone: "+7 912 345-67-89", preferred_language: "ru" },
    { first_name: "أحمد", last_name: "الخطيب", date_of_birth: "1987-06-03", sex: "male", phone: "+971 50 123 4567", preferred_language: "ar", address: "شارع الشيخ زايد، دبي" },
    { first_name: "فاطمة", last_name: "الزهراء", date_of_birth: "1995-08-19", sex: "female", phone: "+20 100 123 4567", preferred_language: "ar" },
    { first_name: "נועה", last_name: "כהן", date_of_birth: "1992-10-10", sex: "female", phone: "+972 52 123 4567", preferred_language: "he" },
    { first_name: "小明", last_name: "王", date_of_birth: "1994-03-08", sex: "male", phone: "+86 138 0013 8000", preferred_language: "zh" },
    { first_name: "花子", last_name: "佐藤", date_of_birth: "1989-07-07", sex: "female", phone: "+81 90 1234 5678", preferred_language: "ja" },
    { first_name: "민준", last_name: "김", date_of_birth: "1997-01-22", sex: "male", phone: "+82 10 1234 5678", preferred_language: "ko" },
    { first_name: "प्रिया", last_name: "शर्मा", date_of_birth: "1993-11-30", sex: "female", phone: "+91 98765 43210", preferred_language: "hi" },
    { first_name: "Emma", last_name: "Smith", date_of_birth: "2001-05-05", sex: "female", phone: "020 7946 0958", email: "emma.smith@example.co.uk", preferred_language: "en", notes: "Referred by Dr Patel.\nMild rolling scars on both cheeks." },
    { first_name: "Oliver", last_name: "Jones", date_of_birth: "1984-08-16", sex: "male", phone: "07700 900123", preferred_language: "en" },
    { first_name: "Amelia", last_name: "Taylor", date_of_birth: "1999-12-24", sex: "female", phone: "07700 900456", preferred_language: "en" },
    { first_name: "Noah", last_name: "Brown", date_of_birth: "1976-03-03", phone: "07700 900789", preferred_language: "en" },
    { first_name: "Chloé", last_name: "Lefèvre", date_of_birth: "1990-06-12", sex: "female", phone: "+33 7 98 76 54 32", preferred_language: "fr" },
    { first_name: "Giulia", last_name: "Rossi", date_of_birth: "1986-02-28", sex: "female", phone: "+39 347 123 4567", preferred_language: "it" },
    { first_name: "João", last_name: "Gonçalves", date_of_birth: "1981-10-05", sex: "male", phone: "+351 912 345 678", preferred_language: "pt" },
    { first_name: "Sanne", last_name: "de Vries", date_of_birth: "1994-04-04", sex: "female", phone: "+31 6 12345678", preferred_language: "nl" },
    { first_name: "Björn", last_name: "Åström", date_of_birth: "1978-09-18", sex: "male", phone: "+46 70 123 45 67", preferred_language: "en" },
    { first_name: "Nguyễn", last_name: "Thị Hương", date_of_birth: "1996-01-15", sex: "female", phone: "+84 912 345 678", preferred_language: "en" },
    { first_name: "Kwame", last_name: "Mensah", date_of_birth: "1983-07-29", sex: "male", phone: "+233 24 123 4567", preferred_language: "en" },
    { first_name: "Aroha", last_name: "Ngata", date_of_birth: "2000-03-19", sex: "other", phone: "+64 21 123 4567", preferred_language: "en" },
    { first_name: "Lucía", last_name: "Martínez", date_of_birth: "1997-05-23", sex: "female", phone: "+52 55 1234 5678", preferred_language: "es" },
    { first_name: "Mateo", last_name: "Hernández", date_of_birth: "1992-08-08", sex: "male", phone: "+54 9 11 1234 5678", preferred_language: "es" },
    { first_name: "Sofía", last_name: "Núñez", date_of_birth: "2002-02-02", sex: "female", phone: "+56 9 8765 4321", preferred_language: "es" },
    { first_name: "Mia 🌸", last_name: "Park", date_of_birth: "1999-09-09", sex: "female", phone: "+1 415 555 0134", preferred_language: "ko" },
    { first_name: "Hannah", last_name: "Schmidt", date_of_birth: "1991-12-12", sex: "female", phone: "+49 151 2345 6789", preferred_language: "de" },
    { first_name: "Wolfeschlegelsteinhausen", last_name: "Bergerdorff-Vandermeulen-Montgomery-Fairweather", date_of_birth: "1980-01-01", sex: "male", phone: "+44 20 7946 0001", preferred_language: "en", notes: "Long name: check it wraps on printed documents." },
    { first_name: "Camille", last_name: "Moreau", date_of_birth: "1987-04-11", sex: "female", phone: "+33 6 55 44 33 22", preferred_language: "fr" },
    { first_name: "Daniel", last_name: "Cohen", date_of_birth: "1975-11-11", sex: "male", phone: "+1 212 555 0199", preferred_language: "he" },
    { first_name: "Ravi", last_name: "Patel", date_of_birth: "1989-03-27", sex: "male", phone: "+44 7700 900321", preferred_language: "hi" },
    { first_name: "Eleni", last_name: "Georgiou", date_of_birth: "1993-06-30", sex: "female", phone: "+357 99 123456", preferred_language: "el", archived: true, notes: "Moved abroad; archived." },
    { first_name: "Thomas", last_name: "Weber", date_of_birth: "1970-10-20", sex: "male", phone: "+49 170 9876543", preferred_language: "de", archived: true },
    { first_name: "Isabella", last_name: "Ricci", date_of_birth: "1995-05-15", sex: "female", phone: "+39 333 765 4321", preferred_language: "it", archived: true }
  ];
  function startDemoBackend(state) {
    const firstRun = state === "first-run";
    installMockBackend({
      needsSetup: firstRun,
      signedIn: state !== "signed-out",
      signedInAs: state === "receptionist" ? "receptionist" : "admin",
      patients: firstRun ? [] : DEMO_PATIENTS,
      clinicalDemo: !firstRun
    });
  }
  startDemoBackend(new URLSearchParams(window.location.search).get("state"));
})();
