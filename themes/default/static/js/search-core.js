/* skillsite search core: the DOM-free half of the browser search.
   It reads the static index exported by `skillsite build` (search/manifest.js, shards, facets,
   docs; format in src/index/export.rs) and ranks exactly as `skillsite search` does
   (src/index/query.rs): the index's analyzer (src/index/analyze.rs: word runs, CJK bigrams,
   runs of 40+ bytes dropped, lowercase, diacritics folded, Snowball English stemmer on English
   sites), AND of words, prefix expansion of the typed word, exact phrases from the positions
   files, per-field BM25 (k1 1.2, b 0.75) times the field boosts, in 32-bit floats, ties by
   document id.
   Works in browsers (window.SkillsiteSearchCore) and in Node (module.exports) for tests. */
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.SkillsiteSearchCore = api;
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var f32 = Math.fround;
  var PREFIX_EXPANSIONS = 5, FUZZY_EXPANSIONS = 3, PREFIX_WEIGHT = 0.5;
  var FACETS = ["kind", "pack", "type", "level", "tags", "status"];

  /* ---- UTF-8 helpers ---- */
  function utf8(s) {
    var out = [];
    for (var i = 0; i < s.length; i++) {
      var c = s.codePointAt(i);
      if (c > 0xffff) i++;
      if (c < 0x80) out.push(c);
      else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
    return out;
  }
  function fromUtf8(b) {
    var s = "";
    for (var i = 0; i < b.length;) {
      var c = b[i], cp, n;
      if (c < 0x80) { cp = c; n = 1; }
      else if (c < 0xe0) { cp = ((c & 31) << 6) | (b[i + 1] & 63); n = 2; }
      else if (c < 0xf0) { cp = ((c & 15) << 12) | ((b[i + 1] & 63) << 6) | (b[i + 2] & 63); n = 3; }
      else { cp = ((c & 7) << 18) | ((b[i + 1] & 63) << 12) | ((b[i + 2] & 63) << 6) | (b[i + 3] & 63); n = 4; }
      s += String.fromCodePoint(cp);
      i += n;
    }
    return s;
  }
  /* Code-point order, which is UTF-8 byte order (Rust's string order). */
  function cmp(a, b) {
    if (a === b) return 0;
    var x = Array.from(a), y = Array.from(b);
    for (var i = 0; i < x.length && i < y.length; i++) {
      var d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d) return d;
    }
    return x.length - y.length;
  }

  /* ---- Snowball English stemmer: a port of the generated english_stemmer.rs (Snowball 3,
     as shipped in the `frostem` crate tantivy uses), working on UTF-8 bytes like it ---- */
  function Env(word) {
    this.b = utf8(word); this.cursor = 0; this.limit = this.b.length;
    this.limit_backward = 0; this.bra = 0; this.ket = 0;
  }
  Env.prototype = {
    bound: function (i) { return i <= 0 || i >= this.b.length || (this.b[i] & 0xc0) !== 0x80; },
    ch: function (i) {
      var b = this.b, c = b[i];
      if (c < 0x80) return c;
      if (c < 0xe0) return ((c & 31) << 6) | (b[i + 1] & 63);
      if (c < 0xf0) return ((c & 15) << 12) | ((b[i + 1] & 63) << 6) | (b[i + 2] & 63);
      return ((c & 7) << 18) | ((b[i + 1] & 63) << 12) | ((b[i + 2] & 63) << 6) | (b[i + 3] & 63);
    },
    replace_s: function (bra, ket, s) {
      var sb = utf8(s), adj = sb.length - (ket - bra);
      Array.prototype.splice.apply(this.b, [bra, ket - bra].concat(sb));
      this.limit += adj;
      if (this.cursor >= ket) this.cursor += adj;
      else if (this.cursor > bra) this.cursor = bra;
      return adj;
    },
    slice_from: function (s) { this.replace_s(this.bra, this.ket, s); this.ket = this.bra + s.length; },
    slice_del: function () { this.slice_from(""); },
    eq_s: function (s) {
      if (this.cursor >= this.limit) return false;
      for (var k = 0; k < s.length; k++) if (this.b[this.cursor + k] !== s.charCodeAt(k)) return false;
      this.cursor += s.length;
      while (!this.bound(this.cursor)) this.cursor++;
      return true;
    },
    eq_s_b: function (s) {
      if (this.cursor - this.limit_backward < s.length) return false;
      var at = this.cursor - s.length;
      if (!this.bound(at)) return false;
      for (var k = 0; k < s.length; k++) if (this.b[at + k] !== s.charCodeAt(k)) return false;
      this.cursor = at;
      return true;
    },
    next_char: function () { this.cursor++; while (!this.bound(this.cursor)) this.cursor++; },
    previous_char: function () { this.cursor--; while (!this.bound(this.cursor)) this.cursor--; },
    hop: function (d) {
      var r = this.cursor;
      while (d-- > 0) {
        if (r >= this.limit) return false;
        r++;
        while (r < this.limit && !this.bound(r)) r++;
      }
      this.cursor = r;
      return true;
    },
    hop_back: function (d) {
      var r = this.cursor;
      while (d-- > 0) {
        if (r <= this.limit_backward) return false;
        r--;
        while (r > this.limit_backward && !this.bound(r)) r--;
      }
      this.cursor = r;
      return true;
    },
    inG: function (g, min, max, c) { if (c > max || c < min) return false; c -= min; return (g[c >> 3] & (1 << (c & 7))) !== 0; },
    in_grouping: function (g, min, max) {
      if (this.cursor >= this.limit) return false;
      if (!this.inG(g, min, max, this.ch(this.cursor))) return false;
      this.next_char();
      return true;
    },
    go_in_grouping: function (g, min, max) {
      while (this.cursor < this.limit) {
        if (!this.inG(g, min, max, this.ch(this.cursor))) return true;
        this.next_char();
      }
      return false;
    },
    in_grouping_b: function (g, min, max) {
      if (this.cursor <= this.limit_backward) return false;
      var c = this.cursor;
      this.previous_char();
      if (!this.inG(g, min, max, this.ch(this.cursor))) { this.cursor = c; return false; }
      return true;
    },
    out_grouping: function (g, min, max) {
      if (this.cursor >= this.limit) return false;
      if (!this.inG(g, min, max, this.ch(this.cursor))) { this.next_char(); return true; }
      return false;
    },
    go_out_grouping: function (g, min, max) {
      while (this.cursor < this.limit) {
        if (this.inG(g, min, max, this.ch(this.cursor))) return true;
        this.next_char();
      }
      return false;
    },
    out_grouping_b: function (g, min, max) {
      if (this.cursor <= this.limit_backward) return false;
      var c = this.cursor;
      this.previous_char();
      if (!this.inG(g, min, max, this.ch(this.cursor))) return true;
      this.cursor = c;
      return false;
    },
    go_out_grouping_b: function (g, min, max) {
      while (this.cursor > this.limit_backward) {
        var c = this.cursor;
        this.previous_char();
        if (this.inG(g, min, max, this.ch(this.cursor))) { this.cursor = c; return true; }
      }
      return false;
    },
    find_among: function (a) {
      var i = 0, j = a.length, c = this.cursor, l = this.limit, ci = 0, cj = 0, first = false;
      for (;;) {
        var k = i + ((j - i) >> 1), diff = 0, common = Math.min(ci, cj), w = a[k][0];
        for (var lv = common; lv < w.length; lv++) {
          if (c + common === l) { diff = -1; break; }
          diff = this.b[c + common] - w.charCodeAt(lv);
          if (diff !== 0) break;
          common++;
        }
        if (diff < 0) { j = k; cj = common; } else { i = k; ci = common; }
        if (j - i <= 1) {
          if (i > 0 || j === i || first) break;
          first = true;
        }
      }
      for (;;) {
        var e = a[i];
        if (ci >= e[0].length) { this.cursor = c + e[0].length; return e[2]; }
        i = e[1];
        if (i < 0) return 0;
      }
    },
    find_among_b: function (a) {
      var i = 0, j = a.length, c = this.cursor, lb = this.limit_backward, ci = 0, cj = 0, first = false;
      for (;;) {
        var k = i + ((j - i) >> 1), diff = 0, common = Math.min(ci, cj), w = a[k][0];
        for (var lv = w.length - 1 - common; lv >= 0; lv--) {
          if (c - common === lb) { diff = -1; break; }
          diff = this.b[c - common - 1] - w.charCodeAt(lv);
          if (diff !== 0) break;
          common++;
        }
        if (diff < 0) { j = k; cj = common; } else { i = k; ci = common; }
        if (j - i <= 1) {
          if (i > 0 || j === i || first) break;
          first = true;
        }
      }
      for (;;) {
        var e = a[i];
        if (ci >= e[0].length) { this.cursor = c - e[0].length; return e[2]; }
        i = e[1];
        if (i < 0) return 0;
      }
    },
    /* The byte at i is a lowercase-ish letter whose bit is set in mask (the generated code's
       quick pre-checks before find_among). */
    pre: function (i, mask) { var c = this.b[i]; return (c >> 5) === 3 && ((mask >> (c & 0x1f)) & 1) !== 0; }
  };

  var A_0 = [["arsen", -1, -1], ["commun", -1, -1], ["emerg", -1, -1], ["gener", -1, -1], ["inter", -1, -1], ["later", -1, -1], ["organ", -1, -1], ["past", -1, -1], ["univers", -1, -1]];
  var A_1 = [["'", -1, 1], ["'s'", 0, 1], ["'s", -1, 1]];
  var A_2 = [["ied", -1, 2], ["s", -1, 3], ["ies", 1, 2], ["sses", 1, 1], ["ss", 1, -1], ["us", 1, -1]];
  var A_3 = [["succ", -1, 1], ["proc", -1, 1], ["exc", -1, 1]];
  var A_4 = [["even", -1, 2], ["cann", -1, 2], ["inn", -1, 2], ["earr", -1, 2], ["herr", -1, 2], ["out", -1, 2], ["y", -1, 1]];
  var A_5 = [["", -1, -1], ["ed", 0, 2], ["eed", 1, 1], ["ing", 0, 3], ["edly", 0, 2], ["eedly", 4, 1], ["ingly", 0, 2]];
  var A_6 = [["", -1, 3], ["bb", 0, 2], ["dd", 0, 2], ["ff", 0, 2], ["gg", 0, 2], ["bl", 0, 1], ["mm", 0, 2], ["nn", 0, 2], ["pp", 0, 2], ["rr", 0, 2], ["at", 0, 1], ["tt", 0, 2], ["iz", 0, 1]];
  var A_7 = [["anci", -1, 3], ["enci", -1, 2], ["ogi", -1, 14], ["li", -1, 16], ["bli", 3, 12], ["abli", 4, 4], ["alli", 3, 8], ["fulli", 3, 9], ["lessli", 3, 15], ["ousli", 3, 10], ["entli", 3, 5], ["aliti", -1, 8], ["biliti", -1, 12], ["iviti", -1, 11], ["tional", -1, 1], ["ational", 14, 7], ["alism", -1, 8], ["ation", -1, 7], ["ization", 17, 6], ["izer", -1, 6], ["ator", -1, 7], ["iveness", -1, 11], ["fulness", -1, 9], ["ousness", -1, 10], ["ogist", -1, 13]];
  var A_8 = [["icate", -1, 4], ["ative", -1, 6], ["alize", -1, 3], ["iciti", -1, 4], ["ical", -1, 4], ["tional", -1, 1], ["ational", 5, 2], ["ful", -1, 5], ["ness", -1, 5]];
  var A_9 = [["ic", -1, 1], ["ance", -1, 1], ["ence", -1, 1], ["able", -1, 1], ["ible", -1, 1], ["ate", -1, 1], ["ive", -1, 1], ["ize", -1, 1], ["iti", -1, 1], ["al", -1, 1], ["ism", -1, 1], ["ion", -1, 2], ["er", -1, 1], ["ous", -1, 1], ["ant", -1, 1], ["ent", -1, 1], ["ment", 15, 1], ["ement", 16, 1]];
  var A_10 = [["e", -1, 1], ["l", -1, 2]];
  var A_11 = [["andes", -1, -1], ["atlas", -1, -1], ["bias", -1, -1], ["cosmos", -1, -1], ["early", -1, 6], ["gently", -1, 4], ["howe", -1, -1], ["idly", -1, 3], ["news", -1, -1], ["only", -1, 7], ["singly", -1, 8], ["skies", -1, 2], ["skis", -1, 1], ["sky", -1, -1], ["ugly", -1, 5]];
  var G_aeo = [17, 64], G_v = [17, 65, 16, 1], G_v_WXY = [1, 17, 65, 208, 1], G_valid_LI = [55, 141, 2];
  var EXCEPTION = [null, "ski", "sky", "idl", "gentl", "ugli", "earli", "onli", "singl"];
  var STEP2 = [null, "tion", "ence", "ance", "able", "ent", "ize", "ate", "al", "ful", "ous", "ive", "ble", "og", null, "less"];
  var STEP3 = [null, "tion", "ate", "al", "ic"];

  function r_shortv(env) {
    var v_1 = env.limit - env.cursor;
    if (env.out_grouping_b(G_v_WXY, 89, 121) && env.in_grouping_b(G_v, 97, 121) && env.out_grouping_b(G_v, 97, 121)) return true;
    env.cursor = env.limit - v_1;
    if (env.out_grouping_b(G_v, 97, 121) && env.in_grouping_b(G_v, 97, 121) && !(env.cursor > env.limit_backward)) return true;
    env.cursor = env.limit - v_1;
    return env.eq_s_b("past");
  }

  function stemEnv(env) {
    var among_var, b_Y_found = false, i_p1, i_p2, v;
    lab0: {
      var v_1 = env.cursor;
      lab1: {
        env.bra = env.cursor;
        if (env.cursor + 2 >= env.limit || !env.pre(env.cursor + 2, 42750482)) break lab1;
        among_var = env.find_among(A_11);
        if (among_var === 0) break lab1;
        env.ket = env.cursor;
        if (env.cursor < env.limit) break lab1;
        if (EXCEPTION[among_var]) env.slice_from(EXCEPTION[among_var]);
        break lab0;
      }
      env.cursor = v_1;
      if (!env.hop(3)) break lab0;
      env.cursor = v_1;
      // Prelude: remove an initial apostrophe, mark consonant y as Y.
      b_Y_found = false;
      v = env.cursor;
      env.bra = env.cursor;
      if (env.eq_s("'")) { env.ket = env.cursor; env.slice_del(); }
      env.cursor = v;
      v = env.cursor;
      env.bra = env.cursor;
      if (env.eq_s("y")) { env.ket = env.cursor; env.slice_from("Y"); b_Y_found = true; }
      env.cursor = v;
      var v_4 = env.cursor;
      replab8: for (;;) {
        var v_5 = env.cursor;
        lab9: {
          for (;;) {
            var v_6 = env.cursor;
            if (env.in_grouping(G_v, 97, 121)) {
              env.bra = env.cursor;
              if (env.eq_s("y")) { env.ket = env.cursor; env.cursor = v_6; break; }
            }
            env.cursor = v_6;
            if (env.cursor >= env.limit) break lab9;
            env.next_char();
          }
          env.slice_from("Y");
          b_Y_found = true;
          continue replab8;
        }
        env.cursor = v_5;
        break;
      }
      env.cursor = v_4;
      // Regions p1 and p2.
      i_p1 = env.limit;
      i_p2 = env.limit;
      var v_7 = env.cursor;
      lab13: {
        lab14: {
          var v_8 = env.cursor;
          if (!(env.cursor + 3 >= env.limit || !env.pre(env.cursor + 3, 5513250)) && env.find_among(A_0) !== 0) break lab14;
          env.cursor = v_8;
          if (!env.go_out_grouping(G_v, 97, 121)) break lab13;
          env.next_char();
          if (!env.go_in_grouping(G_v, 97, 121)) break lab13;
          env.next_char();
        }
        i_p1 = env.cursor;
        if (!env.go_out_grouping(G_v, 97, 121)) break lab13;
        env.next_char();
        if (!env.go_in_grouping(G_v, 97, 121)) break lab13;
        env.next_char();
        i_p2 = env.cursor;
      }
      env.cursor = v_7;
      env.limit_backward = env.cursor;
      env.cursor = env.limit;
      // Step 1a.
      var v_9 = env.limit - env.cursor;
      lab16: {
        var v_10 = env.limit - env.cursor;
        env.ket = env.cursor;
        var last = env.b[env.cursor - 1];
        if (env.cursor <= env.limit_backward || (last !== 39 && last !== 115) || env.find_among_b(A_1) === 0) {
          env.cursor = env.limit - v_10;
        } else {
          env.bra = env.cursor;
          env.slice_del();
        }
        env.ket = env.cursor;
        last = env.b[env.cursor - 1];
        if (env.cursor <= env.limit_backward || (last !== 100 && last !== 115)) break lab16;
        among_var = env.find_among_b(A_2);
        if (among_var === 0) break lab16;
        env.bra = env.cursor;
        if (among_var === 1) env.slice_from("ss");
        else if (among_var === 2) {
          var v_11 = env.limit - env.cursor;
          if (env.hop_back(2)) env.slice_from("i");
          else { env.cursor = env.limit - v_11; env.slice_from("ie"); }
        } else if (among_var === 3) {
          if (env.cursor <= env.limit_backward) break lab16;
          env.previous_char();
          if (!env.go_out_grouping_b(G_v, 97, 121)) break lab16;
          env.previous_char();
          env.slice_del();
        }
      }
      env.cursor = env.limit - v_9;
      // Step 1b.
      var v_12 = env.limit - env.cursor;
      lab20: {
        env.ket = env.cursor;
        if (env.cursor - 1 <= env.limit_backward || !env.pre(env.cursor - 1, 33554576)) among_var = -1;
        else among_var = env.find_among_b(A_5);
        env.bra = env.cursor;
        lab21: {
          var v_13 = env.limit - env.cursor;
          lab22: {
            if (among_var === 1) {
              var v_14 = env.limit - env.cursor;
              if (!(i_p1 > env.cursor)) {
                var v_15 = env.limit - env.cursor;
                var keep = env.cursor - 2 > env.limit_backward && env.b[env.cursor - 1] === 99 && env.find_among_b(A_3) !== 0 && !(env.cursor > env.limit_backward);
                if (!keep) { env.cursor = env.limit - v_15; env.slice_from("ee"); }
              }
              env.cursor = env.limit - v_14;
            } else if (among_var === 2) {
              break lab22;
            } else if (among_var === 3) {
              if (env.cursor <= env.limit_backward || !env.pre(env.cursor - 1, 34881536)) break lab22;
              among_var = env.find_among_b(A_4);
              if (among_var === 0) break lab22;
              if (among_var === 1) {
                var v_16 = env.limit - env.cursor;
                if (!env.out_grouping_b(G_v, 97, 121)) break lab22;
                if (env.cursor > env.limit_backward) break lab22;
                env.cursor = env.limit - v_16;
                env.bra = env.cursor;
                env.slice_from("ie");
              } else if (among_var === 2) {
                if (env.cursor > env.limit_backward) break lab22;
              }
            }
            break lab21;
          }
          env.cursor = env.limit - v_13;
          var v_17 = env.limit - env.cursor;
          if (!env.go_out_grouping_b(G_v, 97, 121)) break lab20;
          env.previous_char();
          env.cursor = env.limit - v_17;
          env.slice_del();
          env.ket = env.cursor;
          env.bra = env.cursor;
          var v_18 = env.limit - env.cursor;
          if (env.cursor - 1 <= env.limit_backward || !env.pre(env.cursor - 1, 68514004)) among_var = 3;
          else among_var = env.find_among_b(A_6);
          if (among_var === 1) { env.slice_from("e"); break lab20; }
          if (among_var === 2) {
            var v_19 = env.limit - env.cursor;
            if (env.in_grouping_b(G_aeo, 97, 111) && !(env.cursor > env.limit_backward)) break lab20;
            env.cursor = env.limit - v_19;
          } else if (among_var === 3) {
            if (env.cursor !== i_p1) break lab20;
            var v_20 = env.limit - env.cursor;
            if (!r_shortv(env)) break lab20;
            env.cursor = env.limit - v_20;
            env.slice_from("e");
            break lab20;
          }
          env.cursor = env.limit - v_18;
          env.ket = env.cursor;
          if (env.cursor <= env.limit_backward) break lab20;
          env.previous_char();
          env.bra = env.cursor;
          env.slice_del();
        }
      }
      env.cursor = env.limit - v_12;
      // Step 1c: y/Y after a consonant (not the first letter) becomes i.
      var v_21 = env.limit - env.cursor;
      lab27: {
        env.ket = env.cursor;
        if (!env.eq_s_b("y") && !env.eq_s_b("Y")) break lab27;
        env.bra = env.cursor;
        if (!env.out_grouping_b(G_v, 97, 121)) break lab27;
        if (env.cursor <= env.limit_backward) break lab27;
        env.slice_from("i");
      }
      env.cursor = env.limit - v_21;
      // Step 2.
      var v_22 = env.limit - env.cursor;
      lab30: {
        env.ket = env.cursor;
        if (env.cursor - 1 <= env.limit_backward || !env.pre(env.cursor - 1, 1864192)) break lab30;
        among_var = env.find_among_b(A_7);
        if (among_var === 0) break lab30;
        env.bra = env.cursor;
        if (i_p1 > env.cursor) break lab30;
        if (among_var === 14) {
          if (!env.eq_s_b("l")) break lab30;
          env.slice_from("og");
        } else if (among_var === 16) {
          if (!env.in_grouping_b(G_valid_LI, 99, 116)) break lab30;
          env.slice_del();
        } else if (STEP2[among_var]) {
          env.slice_from(STEP2[among_var]);
        }
      }
      env.cursor = env.limit - v_22;
      // Step 3.
      var v_23 = env.limit - env.cursor;
      lab31: {
        env.ket = env.cursor;
        if (env.cursor - 2 <= env.limit_backward || !env.pre(env.cursor - 1, 528928)) break lab31;
        among_var = env.find_among_b(A_8);
        if (among_var === 0) break lab31;
        env.bra = env.cursor;
        if (i_p1 > env.cursor) break lab31;
        if (among_var === 5) env.slice_del();
        else if (among_var === 6) {
          if (i_p2 > env.cursor) break lab31;
          env.slice_del();
        } else if (STEP3[among_var]) env.slice_from(STEP3[among_var]);
      }
      env.cursor = env.limit - v_23;
      // Step 4.
      var v_24 = env.limit - env.cursor;
      lab32: {
        env.ket = env.cursor;
        if (env.cursor - 1 <= env.limit_backward || !env.pre(env.cursor - 1, 1864232)) break lab32;
        among_var = env.find_among_b(A_9);
        if (among_var === 0) break lab32;
        env.bra = env.cursor;
        if (i_p2 > env.cursor) break lab32;
        if (among_var === 1) env.slice_del();
        else if (among_var === 2) {
          if (!env.eq_s_b("s") && !env.eq_s_b("t")) break lab32;
          env.slice_del();
        }
      }
      env.cursor = env.limit - v_24;
      // Step 5.
      var v_25 = env.limit - env.cursor;
      lab35: {
        env.ket = env.cursor;
        var e = env.b[env.cursor - 1];
        if (env.cursor <= env.limit_backward || (e !== 101 && e !== 108)) break lab35;
        among_var = env.find_among_b(A_10);
        if (among_var === 0) break lab35;
        env.bra = env.cursor;
        if (among_var === 1) {
          if (i_p2 > env.cursor) {
            if (i_p1 > env.cursor) break lab35;
            var v_26 = env.limit - env.cursor;
            if (r_shortv(env)) break lab35;
            env.cursor = env.limit - v_26;
          }
          env.slice_del();
        } else if (among_var === 2) {
          if (i_p2 > env.cursor) break lab35;
          if (!env.eq_s_b("l")) break lab35;
          env.slice_del();
        }
      }
      env.cursor = env.limit - v_25;
      env.cursor = env.limit_backward;
      // Postlude: Y back to y.
      var v_27 = env.cursor;
      if (b_Y_found) {
        for (;;) {
          var v_28 = env.cursor, found = false;
          for (;;) {
            var v_29 = env.cursor;
            env.bra = env.cursor;
            if (env.eq_s("Y")) { env.ket = env.cursor; env.cursor = v_29; found = true; break; }
            env.cursor = v_29;
            if (env.cursor >= env.limit) break;
            env.next_char();
          }
          if (!found) { env.cursor = v_28; break; }
          env.slice_from("y");
        }
      }
      env.cursor = v_27;
    }
  }

  /** Snowball English stem of a lowercase word. */
  function stem(word) {
    var env = new Env(word);
    stemEnv(env);
    return fromUtf8(env.b);
  }

  /* ---- Analyzer: src/index/analyze.rs, rule for rule ---- */
  /* CJK characters (code points), segmented into overlapping bigrams: `is_cjk` in Rust. */
  function isCjk(c) {
    return (c >= 0x3041 && c <= 0x309f) || (c >= 0x30a0 && c <= 0x30fa) || (c >= 0x30fc && c <= 0x30ff) ||
      (c >= 0x31f0 && c <= 0x31ff) || (c >= 0xff66 && c <= 0xff9f) || (c >= 0x3005 && c <= 0x3007) ||
      (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0x20000 && c <= 0x323af) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0x1100 && c <= 0x11ff) ||
      (c >= 0x3131 && c <= 0x318e);
  }
  var WORD = /^[\p{Alphabetic}\p{N}\p{M}]$/u;
  /* Word characters that are not CJK: alphabetic, numeric or a combining mark. */
  function isWord(c) {
    if (c < 0x80) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    return !isCjk(c) && WORD.test(String.fromCodePoint(c));
  }
  var ASCII = /^[\x00-\x7f]*$/, DIACRITICS = /[\u0300-\u036f]/g;
  /* Lowercase (per code point), then fold diacritics: NFKD, U+0300–U+036F removed, NFC. */
  function normalize(s) {
    var lower = ASCII.test(s) ? s.toLowerCase() : Array.from(s, function (c) { return c.toLowerCase(); }).join("");
    if (ASCII.test(lower)) return lower;
    return lower.normalize("NFKD").replace(DIACRITICS, "").normalize("NFC");
  }
  var stems = new Map();
  function stemCached(w) {
    var s = stems.get(w);
    if (s === undefined) {
      if (stems.size >= 65536) stems.clear();
      s = stem(w);
      stems.set(w, s);
    }
    return s;
  }
  /**
   * Tokens of `text` with their UTF-16 offsets: [{term, start, end}]. `stemming` is the
   * manifest's `stem` ("en": Snowball English; "": none; default "en").
   */
  function tokens(text, stemming) {
    var english = stemming === undefined || stemming === "en";
    var out = [], i = 0, n = text.length, c;
    while (i < n) {
      c = text.codePointAt(i);
      if (isCjk(c)) {
        var at = [];
        while (i < n && isCjk(c = text.codePointAt(i))) { at.push(i); i += c > 0xffff ? 2 : 1; }
        at.push(i);
        if (at.length === 2) out.push({ term: normalize(text.slice(at[0], i)), start: at[0], end: i });
        else for (var k = 0; k + 2 < at.length; k++) out.push({ term: normalize(text.slice(at[k], at[k + 2])), start: at[k], end: at[k + 2] });
      } else if (isWord(c)) {
        var start = i, bytes = 0;
        while (i < n && isWord(c = text.codePointAt(i))) {
          bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
          i += c > 0xffff ? 2 : 1;
        }
        if (bytes >= 40) continue;
        var t = normalize(text.slice(start, i));
        out.push({ term: english ? stemCached(t) : t, start: start, end: i });
      } else {
        i += c > 0xffff ? 2 : 1;
      }
    }
    return out;
  }
  /** The terms the index's analyzer makes of `text` (`stemming` as in `tokens`). */
  function analyze(text, stemming) { return tokens(text, stemming).map(function (t) { return t.term; }); }
  /* Ranges sorted by start, overlapping or touching ones merged (CJK bigrams overlap). */
  function mergeRanges(rs) {
    var out = [];
    rs.forEach(function (r) {
      var last = out[out.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else out.push([r[0], r[1]]);
    });
    return out;
  }

  /* ---- Query parsing: the same rules as src/index/query.rs ---- */
  var WS = /^\p{White_Space}$/u;
  function isWs(c) { return WS.test(c); }
  function facetKey(v) { return v.trim().toLowerCase(); }
  /** Parts of a query: {word}, {phrase} or {filter: [name, value]}. */
  function parse(query) {
    var parts = [], chars = Array.from(query), i = 0, n = chars.length;
    function closing(from) { for (var k = from; k < n; k++) if (chars[k] === '"') return k; return n; }
    while (i < n) {
      if (isWs(chars[i])) { i++; continue; }
      if (chars[i] === '"') {
        var end = closing(i + 1);
        parts.push({ phrase: chars.slice(i + 1, end).join("") });
        i = end + 1;
        continue;
      }
      var start = i;
      while (i < n && !isWs(chars[i]) && chars[i] !== '"') i++;
      var token = chars.slice(start, i).join(""), quoted = null;
      if (token.slice(-1) === ":" && i < n && chars[i] === '"') {
        var e2 = closing(i + 1);
        quoted = chars.slice(i + 1, e2).join("");
        i = e2 + 1;
      }
      var colon = token.indexOf(":");
      if (colon >= 0) {
        var name = token.slice(0, colon).toLowerCase();
        if (name === "tag") name = "tags";
        if (FACETS.indexOf(name) >= 0) {
          var value = quoted !== null ? quoted : token.slice(colon + 1);
          if (value.trim()) parts.push({ filter: [name, facetKey(value)] });
          continue;
        }
      }
      parts.push({ word: token });
      if (quoted !== null) parts.push({ phrase: quoted });
    }
    return parts;
  }
  /** Clauses {term, exact, open} of parsed parts; with `prefix`, the last word is open. */
  function clauses(parts, query, prefix, stemming) {
    var out = [];
    parts.forEach(function (p) {
      if (p.filter) return;
      analyze(p.word !== undefined ? p.word : p.phrase, stemming).forEach(function (t) {
        out.push({ term: t, exact: p.phrase !== undefined, open: false });
      });
    });
    var lastChar = Array.from(query).pop();
    var last = parts[parts.length - 1];
    if (prefix && last && last.word !== undefined && !(lastChar && isWs(lastChar)) && out.length) out[out.length - 1].open = true;
    return out;
  }

  /** Optimal string alignment distance over code points. */
  function osa(a, b) {
    a = Array.from(a); b = Array.from(b);
    var d = [], i, j;
    for (i = 0; i <= a.length; i++) { d.push(new Array(b.length + 1).fill(0)); d[i][0] = i; }
    for (j = 0; j <= b.length; j++) d[0][j] = j;
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
        d[i][j] = v;
      }
    }
    return d[a.length][b.length];
  }

  /* ---- Decoding ---- */
  var B64 = new Int16Array(128).fill(-1);
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".split("").forEach(function (c, i) { B64[c.charCodeAt(0)] = i; });
  function unbase64(s) {
    var out = new Uint8Array(Math.floor(s.length * 3 / 4)), o = 0, acc = 0, bits = 0;
    for (var i = 0; i < s.length; i++) {
      acc = (acc << 6) | B64[s.charCodeAt(i)];
      bits += 6;
      if (bits >= 8) { bits -= 8; out[o++] = (acc >> bits) & 255; }
    }
    return out.subarray(0, o);
  }
  /**
   * Postings of one term in one field: {docs, tfs, norms} (fieldnorm ids). Dense lists (`~`)
   * need the document count `n` and the field's norms (a byte array indexed by document).
   */
  function decodePostings(s, n, fieldNorms) {
    if (s.charAt(0) === "~") return decodeDense(unbase64(s.slice(1)), n, fieldNorms);
    var b = unbase64(s), docs = [], tfs = [], norms = [], i = 0, prev = -1;
    function varint() {
      var v = 0, mul = 1, c;
      do { c = b[i++]; v += (c & 127) * mul; mul *= 128; } while (c & 128);
      return v;
    }
    while (i < b.length) {
      var x = varint(), tf = 1;
      if (x % 2) tf = varint();
      prev += Math.floor(x / 2);
      docs.push(prev); tfs.push(tf); norms.push(b[i++]);
    }
    return { docs: docs, tfs: tfs, norms: norms };
  }
  function decodeDense(b, n, fieldNorms) {
    var docs = [], tfs = [], norms = [], bitmap = Math.ceil(n / 8);
    for (var d = 0; d < n; d++) if (b[d >> 3] & (1 << (d & 7))) docs.push(d);
    var esc = bitmap + Math.ceil(docs.length / 2);
    for (var k = 0; k < docs.length; k++) {
      var tf = (b[bitmap + (k >> 1)] >> ((k & 1) * 4)) & 15;
      if (tf === 15) {
        var v = 0, mul = 1, c;
        do { c = b[esc++]; v += (c & 127) * mul; mul *= 128; } while (c & 128);
        tf = v;
      }
      tfs.push(tf);
      norms.push(fieldNorms[docs[k]]);
    }
    return { docs: docs, tfs: tfs, norms: norms };
  }
  /** Documents of one facet value. */
  function decodeDocs(s) {
    var b = unbase64(s), out = [], i = 0, prev = -1;
    while (i < b.length) {
      var v = 0, mul = 1, c;
      do { c = b[i++]; v += (c & 127) * mul; mul *= 128; } while (c & 128);
      prev += v;
      out.push(prev);
    }
    return out;
  }

  /**
   * The data of an index file: as the file handed it over, or, when that is a string, the
   * JSON it holds gzip-compressed as base64 (`packed_script` in src/index/export.rs: the
   * fragment files). Checks the gzip magic bytes 1f 8b, as Pagefind checks its signature,
   * and reads anything else as plain UTF-8 JSON. Resolves with the parsed data.
   */
  function unpack(data) {
    if (typeof data !== "string") return Promise.resolve(data);
    var bytes = unbase64(data);
    if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
      return Promise.resolve().then(function () { return JSON.parse(fromUtf8(bytes)); });
    }
    if (typeof DecompressionStream === "undefined") {
      return Promise.reject(new Error("this browser cannot read the search index (no DecompressionStream)"));
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text().then(JSON.parse);
  }

  /** Version of the index files this client reads (`FORMAT` in src/index/export.rs). */
  var FORMAT = 5;

  /* ---- BM25, as tantivy computes it (f32) ---- */
  var K1 = f32(1.2), B = f32(0.75), ONE_PLUS_K1 = f32(1 + K1), ONE_MINUS_B = f32(1 - B);
  function idf(df, n) {
    var x = f32(f32(f32(n - df) + 0.5) / f32(df + 0.5));
    return f32(Math.log(f32(1 + x)));
  }

  /**
   * A search engine over a static index. `load(kind, key)` returns a Promise of the data of a
   * `manifest`, `lex`, `shard` (key: shard key), `norms`, `facet` (key: facet name) or `docs`
   * (key: chunk number) file.
   */
  function Engine(manifest, load) {
    if (manifest.format !== FORMAT) {
      throw new Error("search index format " + manifest.format + ", this client reads " + FORMAT + ": rebuild the site");
    }
    this.m = manifest;
    this.load = load;
    // The first document of each fragment file, in increasing order.
    this.chunkStarts = decodeDocs(manifest.chunks);
    // The first key of each lexicon (code-point order; the first is "").
    this.lexKeys = manifest.lex;
    this.stem = manifest.stem;
    this.lexMaps = {};
    var n = manifest.docs;
    // Per field: tantivy's tf cache over the 256 fieldnorm ids.
    this.caches = manifest.fields.map(function (fd) {
      var avg = f32(f32(fd.tokens) / f32(n));
      return manifest.fieldnorms.map(function (norm) {
        return f32(K1 * f32(ONE_MINUS_B + f32(f32(B * f32(norm)) / avg)));
      });
    });
    this.cache = {};
  }
  Engine.prototype = {
    get: function (kind, key) {
      var id = kind + ":" + key;
      if (!this.cache[id]) {
        var self = this;
        this.cache[id] = this.load(kind, key).then(unpack).catch(function (e) { delete self.cache[id]; throw e; });
      }
      return this.cache[id];
    },
    /** The number of the lexicon that holds `term`: the last key <= term. */
    lexOf: function (term) {
      var keys = this.lexKeys, lo = 0, hi = keys.length - 1;
      while (lo < hi) {
        var mid = (lo + hi + 1) >> 1;
        if (cmp(keys[mid], term) <= 0) lo = mid; else hi = mid - 1;
      }
      return lo;
    },
    /** The lexicon `k` as a Map term → [term, df, shard]. */
    lexMap: function (k) {
      var self = this;
      return this.get("lex", k).then(function (list) {
        var map = self.lexMaps[k];
        if (!map) {
          map = self.lexMaps[k] = new Map();
          list.forEach(function (e) { map.set(e[0], e); });
        }
        return map;
      });
    },
    /** The shard entry of `term`: [df, postings per field...], or null. */
    entry: function (term) {
      var self = this;
      if (!this.lexKeys.length) return Promise.resolve(null);
      return this.lexMap(this.lexOf(term)).then(function (map) {
        var e = map.get(term);
        if (!e) return null;
        return self.get("shard", e[2]).then(function (s) {
          return Object.prototype.hasOwnProperty.call(s, term) ? s[term] : null;
        });
      });
    },
    /**
     * [term, df] of at least every term that starts with `prefix` (its lexicon and the
     * following ones whose keys start with it) and of the terms in the lexicons of the words
     * in `also` (shorter words the prefix starts with).
     */
    withPrefix: function (prefix, also) {
      var self = this, keys = this.lexKeys, want = new Set();
      if (!keys.length) return Promise.resolve([]);
      var k = this.lexOf(prefix);
      want.add(k);
      for (k++; k < keys.length && keys[k].slice(0, prefix.length) === prefix; k++) want.add(k);
      (also || []).forEach(function (t) { want.add(self.lexOf(t)); });
      return Promise.all(Array.from(want).map(function (k) { return self.get("lex", k); })).then(function (lists) {
        var out = [];
        lists.forEach(function (l) { l.forEach(function (e) { out.push([e[0], e[1]]); }); });
        return out;
      });
    },
    /** The positions entry of `term` (its shard's positions file): [per field...], or null. */
    posEntry: function (term) {
      var self = this;
      if (!this.lexKeys.length) return Promise.resolve(null);
      return this.lexMap(this.lexOf(term)).then(function (map) {
        var e = map.get(term);
        if (!e) return null;
        return self.get("pos", e[2]).then(function (s) {
          return Object.prototype.hasOwnProperty.call(s, term) ? s[term] : null;
        });
      });
    },
    /**
     * The documents where `terms` (analyzed, two or more) stand at consecutive positions of
     * one field: tantivy's PhraseQuery, which `skillsite search` runs on the fields with
     * positions (title, headings, description, body).
     */
    phraseDocs: function (terms) {
      var self = this, m = this.m, dummy = new Uint8Array(m.docs);
      return Promise.all(terms.map(function (t) { return Promise.all([self.entry(t), self.posEntry(t)]); })).then(function (rs) {
        var out = new Set();
        for (var fi = 0; fi < m.fields.length; fi++) {
          var maps = [], ok = true;
          for (var k = 0; k < rs.length && ok; k++) {
            var e = rs[k][0], pe = rs[k][1];
            if (!e || !pe || !e[fi + 1] || !pe[fi]) { ok = false; break; }
            var p = decodePostings(e[fi + 1], m.docs, dummy), b = unbase64(pe[fi]), at = 0, map = new Map();
            for (var j = 0; j < p.docs.length; j++) {
              var list = [], pos = 0;
              for (var q = 0; q < p.tfs[j]; q++) {
                var v = 0, mul = 1, c;
                do { c = b[at++]; v += (c & 127) * mul; mul *= 128; } while (c & 128);
                pos += v;
                list.push(pos);
              }
              map.set(p.docs[j], list);
            }
            maps.push(map);
          }
          if (!ok) continue;
          maps[0].forEach(function (ps, d) {
            if (out.has(d)) return;
            for (var k = 1; k < maps.length; k++) if (!maps[k].has(d)) return;
            var match = ps.some(function (p0) {
              for (var k = 1; k < maps.length; k++) if (maps[k].get(d).indexOf(p0 + k) < 0) return false;
              return true;
            });
            if (match) out.add(d);
          });
        }
        return out;
      });
    },
    /** The fieldnorm ids of every document in field `i` (for dense posting lists). */
    norms: function (i) {
      var n = this.m.docs;
      return this.get("norms", this.m.fields[i].name).then(function (packed) {
        var d = unbase64(packed.d), bits = packed.b, out = new Uint8Array(n);
        for (var doc = 0; doc < n; doc++) {
          var v = 0;
          for (var b = 0; b < bits; b++) {
            var at = doc * bits + b;
            if (d[at >> 3] & (1 << (at & 7))) v |= 1 << b;
          }
          out[doc] = packed.p[v];
        }
        return out;
      });
    },
    /** The terms clause `c` stands for, [[term, weight]...], as src/index/query.rs `expand`. */
    expand: function (c) {
      var self = this, cs = Array.from(c.term), n = cs.length;
      var loneCjk = n === 1 && isCjk(c.term.codePointAt(0)) && !c.exact;
      var open = (c.open && n >= 3) || loneCjk;
      return this.entry(c.term).then(function (e) {
        if (e && e[0] > 0) {
          if (!open) return [[c.term, 1]];
          return self.withPrefix(c.term).then(function (group) {
            var longer = group.filter(function (g) { return g[0].length > c.term.length && g[0].slice(0, c.term.length) === c.term; })
              .sort(function (a, b) { return b[1] - a[1] || cmp(a[0], b[0]); })
              .slice(0, PREFIX_EXPANSIONS).map(function (g) { return [g[0], PREFIX_WEIGHT]; });
            return [[c.term, 1]].concat(longer).sort(function (a, b) { return cmp(a[0], b[0]); });
          });
        }
        if (c.exact || (n < 2 && !loneCjk)) return [];
        var fuzzy = n >= 5;
        if (!fuzzy && !open) return [];
        var head = cs.slice(0, 2).join("");
        // Prefix expansion needs only the lexicons that fit the typed word (and those of the
        // shorter words it starts with); typo expansion all of its first two characters'.
        var min = Math.max(3, n - 4), shorter = [];
        for (var k = min; k < n; k++) shorter.push(cs.slice(0, k).join(""));
        var none = Promise.resolve([]);
        return Promise.all([open ? self.withPrefix(c.term, shorter) : none, fuzzy ? self.withPrefix(head) : none]).then(function (groups) {
          var out = new Set(), group = groups[0];
          if (open) {
            group.filter(function (g) { return g[0].slice(0, c.term.length) === c.term; })
              .sort(function (a, b) { return b[1] - a[1] || cmp(a[0], b[0]); })
              .slice(0, PREFIX_EXPANSIONS).forEach(function (g) { out.add(g[0]); });
            group.forEach(function (g) {
              if (c.term.slice(0, g[0].length) === g[0] && Array.from(g[0]).length >= min) out.add(g[0]);
            });
          }
          if (fuzzy) {
            var max = n >= 9 ? 2 : 1;
            groups[1].filter(function (g) { return g[0].slice(0, head.length) === head && Math.abs(Array.from(g[0]).length - n) <= max; })
              .map(function (g) { return [osa(g[0], c.term), g[0], g[1]]; })
              .filter(function (x) { return x[0] <= max; })
              .sort(function (a, b) { return a[0] - b[0] || b[2] - a[2] || cmp(a[1], b[1]); })
              .slice(0, FUZZY_EXPANSIONS).forEach(function (x) { out.add(x[1]); });
          }
          return Array.from(out).sort(cmp).map(function (t) { return [t, 1]; });
        });
      });
    },
    /**
     * Runs `query` ({prefix: last word as prefix, filters: extra [name, value] pairs}).
     * Resolves to {total, hits: [{doc, score}] (all matches, best first), terms: the matched
     * terms (for highlighting)}.
     */
    search: function (query, opts) {
      opts = opts || {};
      var self = this, m = this.m;
      var parts = parse(query);
      (opts.filters || []).forEach(function (f) { parts.push({ filter: [f[0], facetKey(f[1])] }); });
      var cls = clauses(parts, query, !!opts.prefix, this.stem);
      var filters = {};
      parts.forEach(function (p) { if (p.filter) (filters[p.filter[0]] = filters[p.filter[0]] || []).push(p.filter[1]); });
      var names = Object.keys(filters);
      if (!cls.length && !names.length) return Promise.resolve({ total: 0, hits: [], terms: [] });
      var filterDocs = Promise.all(names.map(function (name) {
        return self.get("facet", name).then(function (values) {
          var set = new Set();
          filters[name].forEach(function (v) { if (values[v]) decodeDocs(values[v]).forEach(function (d) { set.add(d); }); });
          return set;
        });
      }));
      var scored = Promise.all(cls.map(function (c) {
        return self.expand(c).then(function (expanded) {
          var terms = expanded.map(function (t) { return t[0]; });
          return Promise.all(terms.map(function (t) { return self.entry(t); })).then(function (entries) {
            // Norms of the fields that have dense lists among these entries.
            var need = [];
            entries.forEach(function (e) {
              for (var fi = 1; e && fi < e.length; fi++) if (e[fi].charAt(0) === "~" && need.indexOf(fi - 1) < 0) need.push(fi - 1);
            });
            return Promise.all(need.map(function (i) { return self.norms(i); })).then(function (arrays) {
              var norms = {};
              need.forEach(function (i, k) { norms[i] = arrays[k]; });
              return [entries, norms];
            });
          }).then(function (r) {
            var entries = r[0], normsByField = r[1];
            var scores = new Map();
            entries.forEach(function (e, ti) {
              if (!e) return;
              for (var fi = 1; fi < e.length; fi++) {
                if (!e[fi]) continue;
                var field = m.fields[fi - 1], cache = self.caches[fi - 1];
                var p = decodePostings(e[fi], m.docs, normsByField[fi - 1]);
                var w = f32(idf(p.docs.length, m.docs) * ONE_PLUS_K1);
                var boost = f32(f32(field.boost) * expanded[ti][1]);
                if (boost !== 1) w = f32(w * boost);
                for (var k = 0; k < p.docs.length; k++) {
                  var tf = p.tfs[k];
                  var s = f32(w * f32(tf / f32(tf + cache[p.norms[k]])));
                  var d = p.docs[k];
                  scores.set(d, scores.has(d) ? f32(scores.get(d) + s) : s);
                }
              }
            });
            return { terms: terms, scores: scores };
          });
        });
      }));
      // Phrases of two or more words must appear as written (checked with the positions).
      var phraseSets = Promise.all(parts.filter(function (p) { return p.phrase !== undefined; }).map(function (p) {
        var ts = analyze(p.phrase, self.stem);
        return ts.length < 2 ? null : self.phraseDocs(ts);
      }));
      return Promise.all([scored, filterDocs, phraseSets]).then(function (r) {
        var per = r[0], sets = r[1].concat(r[2].filter(Boolean)), total = null;
        per.forEach(function (c) {
          if (total === null) { total = new Map(c.scores); return; }
          total.forEach(function (s, d) {
            if (c.scores.has(d)) total.set(d, f32(s + c.scores.get(d)));
            else total.delete(d);
          });
        });
        var hits = [];
        if (total === null) {
          // Filters only: every matching document, score 0, in id order.
          for (var d = 0; d < m.docs; d++) if (sets.every(function (s) { return s.has(d); })) hits.push({ doc: d, score: 0 });
        } else {
          total.forEach(function (s, d) { if (sets.every(function (set) { return set.has(d); })) hits.push({ doc: d, score: s }); });
          hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
        }
        var terms = [];
        per.forEach(function (c) { c.terms.forEach(function (t) { if (terms.indexOf(t) < 0) terms.push(t); }); });
        return { total: hits.length, hits: hits, terms: terms };
      });
    },
    /** The fragment of document `id` (title, URL, facets, sections), from the file of the run
        of documents that holds it (`chunkStarts`: the first document of each run). */
    doc: function (id) {
      var starts = this.chunkStarts, lo = 0, hi = starts.length - 1;
      while (lo < hi) {
        var mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= id) lo = mid; else hi = mid - 1;
      }
      return this.get("docs", lo).then(function (frags) {
        var f = frags[id - starts[lo]];
        if (!f) throw new Error("no fragment for document " + id);
        return f;
      });
    }
  };

  /**
   * The best passage of a fragment for `terms`: {text, marks: [[start, end]...], anchor}.
   * Picks the window of about `size` characters with the most distinct matched terms.
   */
  function snippet(frag, terms, size, stemming) {
    size = size || 180;
    var want = new Set(terms), best = null;
    (frag.s || []).forEach(function (sec) {
      var text = sec[2] || "", toks = tokens(text, stemming), hits = toks.filter(function (t) { return want.has(t.term); });
      if (!hits.length) return;
      for (var i = 0; i < hits.length; i++) {
        var distinct = new Set(), count = 0;
        for (var j = i; j < hits.length && hits[j].end - hits[i].start <= size; j++) { distinct.add(hits[j].term); count++; }
        var score = distinct.size * 100 + count;
        if (!best || score > best.score) best = { score: score, text: text, at: hits[i].start, anchor: sec[0], hits: hits };
      }
    });
    if (!best) {
      var first = (frag.s || []).filter(function (s) { return s[2]; })[0];
      var text = frag.d || (first ? first[2] : "");
      return { text: text.length > size ? text.slice(0, size).replace(/\s+\S*$/, "") + " …" : text, marks: [], anchor: "" };
    }
    var start = Math.max(0, best.at - Math.floor(size / 4));
    if (start > 0) { var sp = best.text.indexOf(" ", start); if (sp >= 0 && sp < best.at) start = sp + 1; }
    var end = Math.min(best.text.length, start + size);
    if (end < best.text.length) { var sp2 = best.text.lastIndexOf(" ", end); if (sp2 > best.at) end = sp2; }
    var marks = mergeRanges(best.hits.filter(function (h) { return h.start >= start && h.end <= end; }).map(function (h) { return [h.start - start, h.end - start]; }));
    var out = best.text.slice(start, end), pre = start > 0 ? "… " : "", post = end < best.text.length ? " …" : "";
    return { text: pre + out + post, marks: marks.map(function (mk) { return [mk[0] + pre.length, mk[1] + pre.length]; }), anchor: best.anchor };
  }

  /** Ranges of `text` whose words stem to one of `terms` (overlapping bigrams merged). */
  function marks(text, terms, stemming) {
    var want = new Set(terms);
    return mergeRanges(tokens(text, stemming).filter(function (t) { return want.has(t.term); }).map(function (t) { return [t.start, t.end]; }));
  }

  /**
   * A loader for browsers: injects `<script src=base + path>` and resolves with the data the
   * script hands to window.__skillsiteSearch. Works from file:// and under any base path.
   */
  function scriptLoader(base) {
    var pending = {};
    var hub = window.__skillsiteSearch = window.__skillsiteSearch || {};
    function settle(id, data) { var p = pending[id]; if (p) { delete pending[id]; p.resolve(data); } }
    hub.manifest = function (data) { settle("manifest:", data); };
    hub.shard = function (key, data) { settle("shard:" + key, data); };
    hub.facet = function (name, data) { settle("facet:" + name, data); };
    hub.docs = function (chunk, data) { settle("docs:" + chunk, data); };
    hub.lex = function (head, data) { settle("lex:" + head, data); };
    hub.norms = function (field, data) { settle("norms:" + field, data); };
    hub.pos = function (k, data) { settle("pos:" + k, data); };
    return function (kind, key) {
      var id = kind + ":" + (key === undefined ? "" : key);
      return new Promise(function (resolve, reject) {
        pending[id] = { resolve: resolve };
        var s = document.createElement("script");
        s.src = base + indexPath(kind, key);
        s.async = true;
        s.onload = function () { s.remove(); if (pending[id]) { delete pending[id]; reject(new Error("no data in " + s.src)); } };
        s.onerror = function () { s.remove(); delete pending[id]; reject(new Error("cannot load " + s.src)); };
        document.head.appendChild(s);
      });
    };
  }

  /* Where each part of the static index lives, relative to the site's search/ folder (the
     layout written by src/index/export.rs): kind is manifest, shard, lex, norms, facet or docs
     (key: a chunk number; see Engine.doc). */
  var INDEX_PATHS = {
    manifest: function () { return "manifest.js"; },
    shard: function (k) { return "shards/" + (k >>> 0) + ".js"; },
    lex: function (k) { return "lex/" + (k >>> 0) + ".js"; },
    pos: function (k) { return "pos/" + (k >>> 0) + ".js"; },
    norms: function (field) { return "norms/" + field + ".js"; },
    facet: function (name) { return "facets/" + name + ".js"; },
    docs: function (chunk) { return "docs/" + chunk + ".js"; }
  };
  function indexPath(kind, key) { return INDEX_PATHS[kind](key); }

  /* The theme's one URL rule for URLs that come from data (the search index, the catalog's
     data file; both are built from third-party pages): `u`, relative to the site root, as an
     href for a page whose root is `root` (its relative path to the site root) at `base`
     (window.location.href), or null when `u` is not a plain relative path inside the site: a
     scheme (javascript:, data:, even https:), //host, /path, a backslash or a control
     character is refused, and so is anything that resolves outside the site folder. */
  function siteUrl(root, u, base) {
    if (typeof u !== "string" || u === "" || u.charAt(0) === "/" || /^[a-z][a-z0-9+.\-]*:/i.test(u) ||
        /^\s|[\u0000-\u001f\u007f\\]/.test(u)) return null;
    try {
      var top = new URL(root || "./", base);
      var abs = new URL(root + u, base);
      if (abs.protocol !== top.protocol || abs.host !== top.host || abs.href.indexOf(top.href) !== 0) return null;
    } catch (e) { return null; }
    return root + u;
  }

  return {
    indexPath: indexPath, siteUrl: siteUrl,
    stem: stem, analyze: analyze, tokens: tokens, isCjk: isCjk, normalize: normalize,
    parse: parse, clauses: clauses, osa: osa,
    decodePostings: decodePostings, decodeDocs: decodeDocs, unpack: unpack, idf: idf, Engine: Engine,
    snippet: snippet, marks: marks, scriptLoader: scriptLoader, FACETS: FACETS
  };
});
