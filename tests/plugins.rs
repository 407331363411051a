//! Issue 11, parts 2, 3, 4 and 8: plugins with all their parts, marketplaces with every source
//! type, other agents' manifests (Codex, Copilot, Gemini) and the catalog data, on the
//! `tests/fixtures/plugins` project (and the vendored `superpowers` plugin).

mod common;

use std::path::Path;

use common::{fixture, read, run, skillsite};
use serde_json::Value;

fn catalog_json(book: &Path) -> Value {
    serde_json::from_str(&read(book.join("catalog.json"))).expect("catalog.json is JSON")
}

fn pack<'a>(c: &'a Value, name: &str) -> &'a Value {
    c["packs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("no pack {name}"))
}

fn skill<'a>(c: &'a Value, id: &str) -> &'a Value {
    c["skills"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no skill {id}"))
}

fn names(v: &Value, key: &str) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x[key].as_str().unwrap_or_default().to_string())
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

/// Builds the plugins fixture: (guard, book folder, stderr).
fn build() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let (t, p) = fixture("plugins");
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "warnings only, the build succeeds: {err}");
    (t, p.join("book"), err)
}

#[test]
fn every_marketplace_entry_is_a_pack_with_its_source() {
    let (_t, book, err) = build();
    let c = catalog_json(&book);
    assert_eq!(c["schema"], "https://skillsite.dev/schema/catalog-v2.json");
    // 8 entries, one name twice: 7 packs; plus full's plugin.json (the same pack as its
    // entry), the Codex plugin, the Copilot marketplace's entry, the nested marketplace's entry,
    // the Gemini extension and the plugin inferred from its parts.
    let mut all = names(&c["packs"], "name");
    all.sort();
    assert_eq!(
        all,
        [
            "codex-tools",
            "copilot-kit",
            "full",
            "gemini-ext",
            "gh-tool",
            "ghost",
            "inner",
            "npm-tool",
            "solo",
            "sub-tool",
            "toolbox",
            "url-tool"
        ]
    );
    for name in [
        "toolbox", "full", "gh-tool", "url-tool", "sub-tool", "npm-tool", "ghost",
    ] {
        assert_eq!(pack(&c, name)["marketplace"], "fixture-plugins", "{name}");
    }
    // Remote sources: external packs with their source and no page or folder.
    let gh = pack(&c, "gh-tool");
    assert_eq!(gh["external"], true);
    assert_eq!(gh["url"], Value::Null);
    assert_eq!(gh["folder"], Value::Null);
    assert_eq!(
        gh["source"],
        serde_json::json!({"type": "github", "repo": "acme/gh-tool", "ref": "v1.2.0"}),
        "the first entry of a duplicated name wins"
    );
    assert_eq!(gh["description"], "A plugin in its own GitHub repository");
    assert_eq!(gh["version"], "1.2.0");
    assert_eq!(gh["homepage"], "https://example.com/gh-tool");
    assert_eq!(
        pack(&c, "url-tool")["source"],
        serde_json::json!({"type": "url", "url": "https://git.example.com/url-tool.git", "sha": "0123456789abcdef0123456789abcdef01234567"})
    );
    assert_eq!(
        pack(&c, "sub-tool")["source"],
        serde_json::json!({"type": "git-subdir", "url": "https://github.com/acme/mono.git", "path": "plugins/sub-tool", "ref": "main"})
    );
    let npm = pack(&c, "npm-tool");
    assert_eq!(
        npm["source"],
        serde_json::json!({"type": "npm", "package": "@acme/npm-tool", "ref": "2.0.0"})
    );
    assert_eq!(npm["homepage"], Value::Null, "javascript: is blocked");
    // Relative sources: `metadata.pluginRoot` for a bare name, the marketplace root for ./x.
    let tb = pack(&c, "toolbox");
    assert_eq!(tb["external"], false);
    assert_eq!(tb["folder"], "plugins/toolbox");
    assert_eq!(
        tb["source"],
        serde_json::json!({"type": "path", "path": "plugins/toolbox"})
    );
    assert_eq!(tb["url"], "plugins/toolbox/index.html");
    assert_eq!(tb["author"], "Fixture Team");
    assert_eq!(tb["category"], "development");
    assert_eq!(pack(&c, "full")["kind"], "plugin");
    // A marketplace inside the content folder resolves its sources from its own root.
    let inner = pack(&c, "inner");
    assert_eq!(
        (inner["marketplace"].clone(), inner["folder"].clone()),
        ("nested-market".into(), "nested/inner".into())
    );
    assert_eq!(
        names(&inner["components"]["commands"], "invocation"),
        ["/inner:hello"]
    );
    // A missing folder: still a pack, with a warning at the entry's line.
    let ghost = pack(&c, "ghost");
    assert_eq!(
        (ghost["external"].clone(), ghost["url"].clone()),
        (Value::Bool(false), Value::Null)
    );
    assert!(
        err.contains("marketplace.json:44: warning[marketplace-source]: plugin `ghost`: source folder `plugins/ghost` does not exist"),
        "{err}"
    );
    assert!(err.contains("hint: fix `source`"), "{err}");
    assert!(
        err.contains("marketplace.json:49: warning[marketplace-duplicate]: two plugins named `gh-tool` in the marketplace (the first at line 21)"),
        "{err}"
    );
}

#[test]
fn unknown_marketplace_keys_are_a_note_and_bad_json_a_warning() {
    let (_t, p) = fixture("plugins");
    let (code, out, _) = run(skillsite(&p).args(["check", "--format", "json"]));
    assert_eq!(code, 0, "{out}");
    let d: Value = serde_json::from_str(&out).unwrap();
    let key = d
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["rule"] == "marketplace-key")
        .expect("a note for `renames`");
    assert_eq!(key["severity"], "note");
    assert_eq!(key["line"], 6);
    assert!(key["message"].as_str().unwrap().contains("`renames`"));

    // A manifest that is not JSON: a warning with line and column; the rest builds.
    std::fs::write(
        p.join("content/plugins/full/.claude-plugin/plugin.json"),
        "{\n  \"name\": \"full\",\n  \"version\": 2.1.0\n}\n",
    )
    .unwrap();
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("plugin.json:3:") && err.contains("warning[manifest]: invalid JSON"),
        "{err}"
    );
    let c = catalog_json(&p.join("book"));
    assert_eq!(
        pack(&c, "full")["kind"],
        "marketplace",
        "still listed by its entry"
    );
    assert_eq!(
        pack(&c, "toolbox")["components"]["agents"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Invalid hooks JSON: one warning (the audit's, with its line), not one per reader.
    std::fs::write(
        p.join("content/plugins/toolbox/hooks/hooks.json"),
        "{\"hooks\": {\n",
    )
    .unwrap();
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "{err}");
    assert_eq!(err.matches("hooks/hooks.json").count(), 1, "{err}");
    assert!(
        err.contains("hooks/hooks.json:2: warning[unreadable-file]: invalid JSON"),
        "{err}"
    );
}

#[test]
fn plugin_parts_agents_commands_hooks_mcp_lsp_styles() {
    let (_t, book, _) = build();
    let c = catalog_json(&book);
    // A plugin without plugin.json: the standard folders.
    let tb = &pack(&c, "toolbox")["components"];
    let agents = tb["agents"].as_array().unwrap();
    assert_eq!(names(&tb["agents"], "name"), ["code-reviewer", "planner"]);
    assert_eq!(agents[0]["model"], "sonnet");
    assert_eq!(agents[0]["color"], "blue");
    assert_eq!(strings(&agents[0]["tools"]), ["Read", "Grep", "Glob"]);
    assert_eq!(strings(&agents[1]["tools"]), ["Read", "TodoWrite"]);
    assert_eq!(
        agents[0]["url"],
        "plugins/toolbox/agents/code-reviewer.html"
    );
    assert_eq!(
        names(&tb["commands"], "invocation"),
        ["/toolbox:db:migrate", "/toolbox:deploy"]
    );
    let deploy = &tb["commands"][1];
    assert_eq!(deploy["name"], "deploy");
    assert_eq!(deploy["argument_hint"], "[staging|production]");
    assert_eq!(
        strings(&deploy["tools"]),
        ["Bash(git:*)", "Bash(make deploy:*)"]
    );
    assert_eq!(deploy["url"], "plugins/toolbox/commands/deploy.html");
    let hooks = tb["hooks"].as_array().unwrap();
    assert_eq!(hooks.len(), 2);
    assert_eq!(
        (
            hooks[0]["event"].clone(),
            hooks[0]["matcher"].clone(),
            hooks[0]["line"].clone()
        ),
        ("PreToolUse".into(), "Bash".into(), 7.into())
    );
    assert_eq!(hooks[0]["file"], "plugins/toolbox/hooks/hooks.json");
    assert_eq!(hooks[1]["command"], "echo toolbox ready");
    let mcp = tb["mcp_servers"].as_array().unwrap();
    assert_eq!(
        names(&tb["mcp_servers"], "name"),
        ["toolbox-db", "toolbox-docs"]
    );
    assert_eq!(mcp[0]["command"], "npx");
    assert_eq!(strings(&mcp[0]["args"]), ["-y", "@acme/db-mcp"]);
    assert_eq!(
        (mcp[1]["url"].clone(), mcp[1]["type"].clone()),
        ("https://mcp.example.com/docs".into(), "http".into())
    );
    assert_eq!(
        pack(&c, "toolbox")["skills"],
        serde_json::json!(["toolbox:lint-rules"])
    );

    // plugin.json with custom paths (supplementing the default folders) and inline objects.
    let full = pack(&c, "full");
    assert_eq!(full["license"], "MIT");
    assert_eq!(full["author"], "Ada Example");
    assert_eq!(full["repository"], "https://github.com/acme/full");
    assert_eq!(strings(&full["keywords"]), ["testing", "fixtures"]);
    let fc = &full["components"];
    assert_eq!(
        names(&fc["commands"], "invocation"),
        ["/full:status", "/full:ship"]
    );
    assert_eq!(
        fc["commands"][0]["description"], "Show the build status of every branch.",
        "no front matter: the first line"
    );
    assert_eq!(names(&fc["agents"], "name"), ["helper"]);
    assert_eq!(names(&fc["output_styles"], "name"), ["Terse"]);
    let fh = fc["hooks"].as_array().unwrap();
    assert_eq!(fh.len(), 2);
    assert_eq!(
        (fh[0]["type"].clone(), fh[0]["file"].clone()),
        (
            "command".into(),
            "plugins/full/.claude-plugin/plugin.json".into()
        )
    );
    assert_eq!(fh[0]["line"], 15);
    assert_eq!(
        (fh[1]["event"].clone(), fh[1]["type"].clone()),
        ("Stop".into(), "prompt".into())
    );
    assert_eq!(names(&fc["mcp_servers"], "name"), ["full-search"]);
    let lsp = &fc["lsp_servers"][0];
    assert_eq!(
        (lsp["name"].clone(), lsp["command"].clone()),
        ("go".into(), "gopls".into())
    );
    assert_eq!(strings(&lsp["languages"]), ["go"]);
    assert_eq!(lsp["file"], "plugins/full/.lsp.json");

    // A folder with agents and hooks but no manifest or entry: an inferred plugin.
    let solo = pack(&c, "solo");
    assert_eq!(solo["kind"], "plugin");
    assert_eq!(names(&solo["components"]["agents"], "name"), ["watcher"]);
    assert_eq!(solo["components"]["hooks"].as_array().unwrap().len(), 1);
    assert_eq!(solo["manifests"], serde_json::json!([]));
}

#[test]
fn codex_copilot_and_gemini_manifests() {
    let (_t, book, _) = build();
    let c = catalog_json(&book);
    let codex = pack(&c, "codex-tools");
    assert_eq!(strings(&codex["agents"]), ["codex"]);
    assert_eq!(codex["kind"], "plugin");
    assert_eq!(
        codex["marketplace"], "codex-fixtures",
        "listed by .agents/plugins/marketplace.json"
    );
    assert_eq!(codex["interface"]["display_name"], "Codex Tools");
    assert_eq!(
        codex["interface"]["short_description"],
        "Format code the house way"
    );
    assert_eq!(codex["interface"]["brand_color"], "#10A37F");
    assert_eq!(codex["interface"]["category"], "Coding");
    assert_eq!(codex["license"], "Apache-2.0");
    assert_eq!(
        codex["manifests"],
        serde_json::json!([
            "codex/codex-tools/.codex-plugin/plugin.json",
            "codex/.agents/plugins/marketplace.json"
        ])
    );
    let fmt = skill(&c, "codex-tools:format-code");
    assert_eq!(strings(&fmt["agents"]), ["codex"]);
    assert_eq!(fmt["interface"]["display_name"], "Format code");
    assert_eq!(fmt["interface"]["icon"], "./assets/format.svg");

    let kit = pack(&c, "copilot-kit");
    assert_eq!(kit["marketplace"], "copilot-fixtures");
    assert_eq!(strings(&kit["agents"]), ["copilot"]);
    assert_eq!(names(&kit["components"]["agents"], "name"), ["triage"]);
    assert_eq!(
        kit["components"]["agents"][0]["source"],
        "copilot/kit/agents/triage.agent.md"
    );
    assert_eq!(
        strings(&skill(&c, "copilot-kit:triage-issues")["agents"]),
        ["copilot"]
    );

    let gem = pack(&c, "gemini-ext");
    assert_eq!(strings(&gem["agents"]), ["gemini"]);
    assert_eq!(gem["version"], "0.9.0");
    assert_eq!(
        gem["components"]["context_files"],
        serde_json::json!(["gemini/gemini-ext/GEMINI.md"])
    );
    assert_eq!(
        gem["components"]["mcp_servers"][0]["url"],
        "https://mcp.example.com/explain"
    );
    let gc = &gem["components"]["commands"];
    assert_eq!(names(gc, "invocation"), ["/explain:line", "/summary"]);
    assert_eq!(gc[0]["description"], "Explain one line of code");
    assert_eq!(
        gc[1]["description"], "Summarise the file in three sentences.",
        "no description: the prompt's first line"
    );
    assert_eq!(gc[0]["url"], "gemini/gemini-ext/commands/explain/line.toml");
    assert_eq!(
        strings(&skill(&c, "gemini-ext:explain-code")["agents"]),
        ["gemini"]
    );
    assert_eq!(
        strings(&skill(&c, "toolbox:lint-rules")["agents"]),
        ["claude-code"]
    );
}

#[test]
fn plugin_pages_agent_and_command_pages_and_catalog_cards() {
    let (_t, book, _) = build();
    let page = read(book.join("plugins/toolbox/index.html"));
    for needle in [
        "<strong>2</strong> agents",
        "<strong>2</strong> commands",
        "<strong>2</strong> hooks",
        "<strong>2</strong> MCP servers",
        "href=\"../../plugins/toolbox/agents/code-reviewer.html\">code-reviewer</a>",
        "<code>/toolbox:deploy</code>",
        "<code class=\"muted\">[staging|production]</code>",
        "PreToolUse",
        "<code>npx -y @acme/db-mcp</code>",
        "toolbox/<wbr>.mcp.json:3",
        "<code>/plugin install toolbox@fixture-plugins</code>",
        "agent-claude-code",
    ] {
        assert!(page.contains(needle), "toolbox page lacks {needle}");
    }
    let full = read(book.join("plugins/full/index.html"));
    for needle in [
        "<dt>Licence</dt><dd>MIT</dd>",
        "href=\"https://github.com/acme/full\"",
        "href=\"https://example.com/full\"",
        "LSP servers",
        "<code>gopls serve</code>",
        "Output styles",
        "Check that the tests pass",
    ] {
        assert!(full.contains(needle), "full page lacks {needle}");
    }
    let agent = read(book.join("plugins/toolbox/agents/code-reviewer.html"));
    assert!(
        agent.contains("class=\"catalog-panel component-panel\""),
        "agent panel"
    );
    assert!(agent.contains("<span class=\"badge\">agent</span> <code>code-reviewer</code>"));
    assert!(agent.contains("<dt>Model</dt><dd><code>sonnet</code></dd>"));
    assert!(agent.contains("<code>Grep</code>"));
    let cmd = read(book.join("plugins/toolbox/commands/deploy.html"));
    assert!(cmd.contains("<code>/toolbox:deploy</code>"));
    assert!(cmd.contains("<code>/toolbox:deploy [staging|production]</code>"));
    assert!(cmd.contains("<dt>Allowed tools</dt>"));
    // The catalog page: a card per plugin, with its description, external ones included.
    let cat = read(book.join("catalog.html"));
    assert_eq!(cat.matches("class=\"card plugin-card\"").count(), 12);
    assert!(cat.contains("<span class=\"card-description\">A plugin published on npm</span>"));
    assert!(cat.contains("<code>npm @acme/npm-tool @ 2.0.0</code>"));
    assert!(cat.contains("<code>/plugin install gh-tool@fixture-plugins</code>"));
    assert!(cat.contains("data-facet=\"agent\""));
    assert!(cat.contains("<span class=\"badge badge-missing\">folder missing</span>"));
    // The marketplace's root page lists its plugins in file order (the duplicate once).
    let home = read(book.join("index.html"));
    assert!(home.contains("Marketplace <code>fixture-plugins</code> <span class=\"muted\">(7 plugins, claude-code)</span>"));
    assert_eq!(home.matches("class=\"card plugin-card\"").count(), 7);
    let first = |n: &str| {
        home.find(&format!("<span class=\"card-title\">{n}"))
            .unwrap()
    };
    assert!(
        first("toolbox") < first("full")
            && first("full") < first("gh-tool")
            && first("npm-tool") < first("ghost")
    );
    let codex_page = read(book.join("codex/index.html"));
    assert!(codex_page.contains(
        "Marketplace <code>codex-fixtures</code> <span class=\"muted\">(1 plugin, codex)</span>"
    ));
    assert!(
        !codex_page.contains("/plugin install codex-tools"),
        "Codex installs from its own interface"
    );
    let copilot = read(book.join("copilot/index.html"));
    assert!(copilot.contains("Marketplace <code>copilot-fixtures</code> <span class=\"muted\">(1 plugin, copilot)</span>"));
    // A plugin folder's card on its parent page shows the plugin's description.
    let plugins = read(book.join("plugins/index.html"));
    assert!(
        plugins.contains("<span class=\"card-description\">Agents, commands, hooks and MCP servers without a plugin.json</span>"),
        "{plugins}"
    );
    // llms.txt lists a plugin's agents and commands, and how to get an external one.
    let llms = read(book.join("llms.txt"));
    assert!(llms.contains("- agent [code-reviewer](plugins/toolbox/agents/code-reviewer.html): Reviews a change for bugs and missing tests"));
    assert!(llms.contains("- command [/toolbox:deploy](plugins/toolbox/commands/deploy.html): Deploy the current branch to an environment"));
    assert!(llms.contains("- external plugin: `/plugin install npm-tool@fixture-plugins`"));
    // The skill page shows the agents it targets.
    let sk = read(book.join("codex/codex-tools/skills/format-code/index.html"));
    assert!(sk.contains("badge-agent agent-codex"));
}

#[test]
fn superpowers_plugin_is_for_claude_code_and_gemini() {
    let (_t, p) = fixture("superpowers");
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "{err}");
    let c = catalog_json(&p.join("book"));
    assert_eq!(
        c["packs"].as_array().unwrap().len(),
        1,
        "plugin.json, marketplace and gemini-extension.json describe one plugin"
    );
    let sp = pack(&c, "superpowers");
    assert_eq!(strings(&sp["agents"]), ["claude-code", "gemini"]);
    assert_eq!(sp["marketplace"], "superpowers-dev");
    assert_eq!(sp["license"], "MIT");
    assert_eq!(sp["components"]["hooks"].as_array().unwrap().len(), 1);
    assert_eq!(sp["skills"].as_array().unwrap().len(), 14);
}

/// A real marketplace (an excerpt of wshobson/agents, MIT): each entry is a pack, with its
/// agents and commands, and `build` exits 0.
#[test]
fn real_marketplace_lists_every_plugin_with_agents_and_commands() {
    let (_t, p) = fixture("wshobson-agents");
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "{err}");
    let book = p.join("book");
    let c = catalog_json(&book);
    let market: Value =
        serde_json::from_str(&read(p.join(".claude-plugin/marketplace.json"))).unwrap();
    let entries = names(&market["plugins"], "name");
    assert_eq!(names(&c["packs"], "name"), entries, "every entry is a pack");
    let dt = pack(&c, "debugging-toolkit");
    assert_eq!(
        dt["kind"], "marketplace",
        "no plugin.json: the entry describes it"
    );
    assert_eq!(
        (
            dt["license"].clone(),
            dt["category"].clone(),
            dt["version"].clone()
        ),
        ("MIT".into(), "development".into(), "1.2.1".into())
    );
    assert_eq!(
        names(&dt["components"]["agents"], "name"),
        ["debugger", "dx-optimizer"]
    );
    assert_eq!(dt["components"]["agents"][0]["model"], "sonnet");
    assert_eq!(dt["components"]["agents"][0]["color"], "olive");
    assert_eq!(
        names(&dt["components"]["commands"], "invocation"),
        ["/debugging-toolkit:smart-debug"]
    );
    let gp = pack(&c, "git-pr-workflows");
    assert_eq!(gp["kind"], "plugin");
    assert_eq!(
        gp["version"], "1.2.1",
        "plugin.json's version wins over the entry's"
    );
    assert_eq!(
        names(&gp["components"]["agents"], "name"),
        ["code-reviewer"]
    );
    let page = read(book.join("plugins/debugging-toolkit/index.html"));
    assert!(page.contains("<strong>2</strong> agents"));
    assert!(page.contains("<code>/debugging-toolkit:smart-debug</code>"));
    assert!(page.contains("Interactive debugging, developer experience optimization"));
    let cmd = read(book.join("plugins/debugging-toolkit/commands/smart-debug.html"));
    assert!(cmd.contains(
        "<span class=\"badge\">command</span> <code>/debugging-toolkit:smart-debug</code>"
    ));
}

/// Plugin parts behind a symbolic link out of the project are not read: neither a `commands`
/// folder linked elsewhere nor a `.mcp.json` linked to a file outside.
#[cfg(unix)]
#[test]
fn parts_behind_links_out_of_the_project_are_not_read() {
    let (t, p) = fixture("plugins");
    let outside = t.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(
        outside.join("secret.md"),
        "---\ndescription: outside\n---\n",
    )
    .unwrap();
    std::fs::write(
        outside.join("mcp.json"),
        "{\"mcpServers\": {\"leak\": {\"command\": \"cat\", \"args\": [\"/etc/passwd\"]}}}",
    )
    .unwrap();
    let solo = p.join("content/solo");
    std::os::unix::fs::symlink(&outside, solo.join("commands")).unwrap();
    std::os::unix::fs::symlink(outside.join("mcp.json"), solo.join(".mcp.json")).unwrap();
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "{err}");
    let c = catalog_json(&p.join("book"));
    let parts = &pack(&c, "solo")["components"];
    assert_eq!(parts["commands"], serde_json::json!([]), "{parts:#}");
    assert_eq!(parts["mcp_servers"], serde_json::json!([]), "{parts:#}");
    assert!(!read(p.join("book/catalog.json")).contains("secret"));
}

/// Text from a hostile plugin is escaped and its hidden characters shown, on the plugin page,
/// the agent's page and in catalog.json; blocked URLs are not linked.
#[test]
fn hostile_plugin_text_is_escaped_and_revealed() {
    let (_t, p) = fixture("plugins");
    std::fs::write(
        p.join("content/solo/agents/evil.md"),
        "---\nname: \"evil\u{202e}gnp.exe\"\ndescription: \"<img src=x onerror=alert(1)>\"\nmodel: \"<b>opus</b>\"\n---\n\nBody.\n",
    )
    .unwrap();
    std::fs::write(
        p.join("content/solo/.mcp.json"),
        "{\"mcpServers\": {\"<script>x</script>\": {\"url\": \"javascript:alert(1)\"}}}",
    )
    .unwrap();
    let (code, _, err) = run(skillsite(&p).arg("build"));
    assert_eq!(code, 0, "{err}");
    let book = p.join("book");
    for page in ["solo/index.html", "solo/agents/evil.html"] {
        let html = read(book.join(page));
        assert!(!html.contains("<img src=x"), "{page}");
        assert!(!html.contains("<b>opus</b>"), "{page}");
        assert!(
            !html.contains("\u{202e}"),
            "{page}: the bidi override is shown, not kept"
        );
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{page}"
        );
    }
    let solo = read(book.join("solo/index.html"));
    assert!(!solo.contains("<script>x</script>"));
    assert!(!solo.contains("href=\"javascript:"));
    let c = catalog_json(&book);
    let agents = &pack(&c, "solo")["components"]["agents"];
    let evil = agents
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["source"] == "solo/agents/evil.md")
        .unwrap();
    assert_eq!(
        evil["description"], "<img src=x onerror=alert(1)>",
        "JSON keeps text as text"
    );
}

/// Issue 11, part 6: a marketplace plugin's page and `packs[].install` give the two
/// `/plugin` commands; its skills get the `skills` CLI per agent.
#[test]
fn plugin_install_commands() {
    let (_t, book, err) = build();
    let c = catalog_json(&book);
    let install: Vec<(String, String)> = pack(&c, "toolbox")["install"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["agent"].as_str().unwrap().to_string(),
                m["command"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        install[..2],
        [
            (
                "claude-code".to_string(),
                "/plugin marketplace add .".to_string()
            ),
            (
                "claude-code".to_string(),
                "/plugin install toolbox@fixture-plugins".to_string()
            ),
        ],
        "{err}"
    );
    assert!(install
        .iter()
        .any(|(a, cmd)| a == "any" && cmd == "npx skills add . --skill lint-rules"));
    let html = read(book.join("plugins/toolbox/index.html"));
    assert!(html.contains("<h2 class=\"panel-heading\" id=\"pack-install\">Install</h2>"));
    assert!(html.contains("<code>/plugin install toolbox@fixture-plugins</code>"));
}
