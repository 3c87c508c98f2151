// The MediaValet dialogs' pickers (loaded by the mv asset, mv upload and mv watch dialogs
// from this module's resources): a category tree with a search box, and an attribute list.
// Both ask MediaValet through the account chosen in the dialog, deployed or not.
(function () {
    if (window.MediaValetPickers) { return; }

    var SETTINGS = ["authMode", "identityUrl", "apiUrl", "apiVersion", "scope", "clientAuth", "allowInsecure", "timeout"];
    var CREDENTIALS = ["clientId", "clientSecret", "subscriptionKey", "username", "password"];

    // The pickers' words live in mv asset's message catalogue, so each language has them once.
    function t(key, subs) {
        var def = RED.nodes.getType("mediavalet-asset");
        return def ? def._("mediavalet-asset.picker." + key, subs) : key;
    }

    function errorText(xhr) {
        var body = xhr && xhr.responseJSON;
        return (body && body.error) || (xhr && xhr.statusText) || t("failed");
    }

    /**
     * GET for a deployed account the editor has not changed; otherwise POST what the editor
     * holds (a password it never loaded stays out: the runtime uses the deployed one).
     */
    function fetchList(accountId, list) {
        var account = accountId && RED.nodes.node(accountId);
        if (!account) { return $.Deferred().reject({ responseJSON: { error: t("noAccount") } }).promise(); }
        var url = "mediavalet/" + encodeURIComponent(accountId) + "/" + list;
        function post() {
            var body = { settings: {}, credentials: {} };
            SETTINGS.forEach(function (k) { if (account[k] !== undefined) { body.settings[k] = account[k]; } });
            CREDENTIALS.forEach(function (k) { if (account.credentials && account.credentials[k] !== undefined) { body.credentials[k] = account.credentials[k]; } });
            return $.ajax({ url: url, type: "POST", contentType: "application/json", data: JSON.stringify(body), dataType: "json" });
        }
        if (account.changed) { return post(); }
        var done = $.Deferred();
        $.getJSON(url).done(done.resolve).fail(function (xhr) {
            if (xhr.status === 404) { post().done(done.resolve).fail(done.reject); } else { done.reject(xhr); }
        });
        return done.promise();
    }

    function flatten(tree, out) {
        (tree || []).forEach(function (c) { out[c.id] = c; flatten(c.children, out); });
        return out;
    }

    function pathName(category) { return category.path.replace(/^\//, "").split("/").join(" › "); }

    /**
     * A category picker beside a text input that keeps the id (or, with multi, a
     * comma-separated list of ids). options: input, account (function returning the config
     * node id), multi.
     */
    function categoryPicker(options) {
        var input = options.input;
        var row = input.closest(".form-row");
        var button = $('<button type="button" class="red-ui-button mv-browse"><i class="fa fa-sitemap"></i></button>')
            .attr("title", t("browse"));
        input.css("width", "calc(70% - 40px)").after(button).after(" ");
        var names = $('<div class="form-row mv-category-names" style="margin-top:-6px;padding-left:104px;color:var(--red-ui-secondary-text-color,#888);font-size:0.9em"></div>').insertAfter(row);
        var panel = $('<div class="form-row mv-category-panel" style="display:none;padding-left:104px"></div>').insertAfter(names);
        var search = $('<input type="text" class="mv-category-search">').attr("placeholder", t("search")).appendTo($('<div style="margin-bottom:4px"></div>').appendTo(panel));
        var status = $('<div class="mv-category-status" style="padding:4px 0"></div>').appendTo(panel);
        var treeBox = $('<div class="mv-category-tree" style="height:200px;border:1px solid var(--red-ui-form-input-border-color,#ccc);border-radius:4px;overflow:auto"></div>').appendTo(panel);
        var tree = $("<div>").css({ width: "100%", height: "100%" }).appendTo(treeBox).treeList({ data: [] });
        var byId = {};
        var loadedFor = null;

        function ids() { return String(input.val() || "").split(",").map(function (s) { return s.trim(); }).filter(Boolean); }
        function showNames() {
            var list = ids().map(function (id) { return byId[id] ? pathName(byId[id]) : (loadedFor ? t("unknown", { id: id }) : ""); }).filter(Boolean);
            names.text(list.join(", ")).toggle(list.length > 0);
        }
        function items(categories) {
            var chosen = ids();
            return categories.map(function (c) {
                return {
                    id: c.id,
                    label: c.name,
                    sublabel: c.assetCount === undefined ? undefined : String(c.assetCount),
                    icon: "fa fa-folder-o",
                    selected: chosen.indexOf(c.id) !== -1,
                    expanded: false,
                    category: c,
                    children: c.children && c.children.length ? items(c.children) : undefined
                };
            });
        }
        function load() {
            var account = options.account();
            if (loadedFor === account) { return $.Deferred().resolve().promise(); }
            status.text(t("loading")).show();
            return fetchList(account, "categories").done(function (tree_) {
                loadedFor = account;
                byId = flatten(tree_, {});
                tree.treeList("data", items(tree_));
                status.text(tree_.length ? "" : t("empty")).toggle(!tree_.length);
                showNames();
            }).fail(function (xhr) {
                loadedFor = null;
                status.text(errorText(xhr)).show();
            });
        }
        var filtered = "";
        function filter() {
            var needle = String(search.val() || "").trim().toLowerCase();
            if (needle === filtered) { return; }
            filtered = needle;
            tree.treeList("filter", needle ? function (item) { return item.category.path.toLowerCase().indexOf(needle) !== -1; } : null);
        }
        // searchBox reacts to typing; "input" also catches a pasted or dropped search.
        search.searchBox({ delay: 200, change: filter }).on("input", filter);
        tree.on("treelistselect", function (e, item) {
            if (!item || !item.category) { return; }
            if (options.multi) {
                var list = ids();
                if (list.indexOf(item.id) === -1) { list.push(item.id); }
                input.val(list.join(", "));
            } else {
                input.val(item.id);
            }
            input.trigger("change");
            showNames();
        });
        button.on("click", function (e) {
            e.preventDefault();
            var open = panel.is(":visible");
            panel.toggle(!open);
            if (!open) { load(); }
        });
        input.on("change input", showNames);
        $(options.accountInput || "#node-input-account").on("change", function () { loadedFor = null; byId = {}; if (panel.is(":visible") || ids().length) { load(); } });
        if (ids().length) { load(); }
        return { load: load, row: row, names: names, panel: panel };
    }

    var attributeCache = {};
    /** Attribute definitions for the account, for the name fields' suggestion list. */
    function attributes(accountId) {
        if (!attributeCache[accountId]) {
            attributeCache[accountId] = fetchList(accountId, "attributes").fail(function () { delete attributeCache[accountId]; });
        }
        return attributeCache[accountId];
    }

    /**
     * Rows of attribute name → value. options: container, rows ([{name, value, type}]),
     * account (function), typed (values as typedInputs). Returns { value() }.
     */
    function attributeList(options) {
        attributeCache = {};
        var listId = "mv-attribute-names-" + Math.random().toString(36).slice(2);
        var datalist = $('<datalist>').attr("id", listId).appendTo(options.container.parent());
        var hint = $('<div class="mv-attribute-status" style="font-size:0.9em;padding:4px 0;color:var(--red-ui-secondary-text-color,#888)"></div>');
        function refresh() {
            var account = options.account();
            datalist.empty();
            hint.text("");
            attributes(account).done(function (defs) {
                // The account may have changed again while this answer was on its way.
                if (account !== options.account()) { return; }
                datalist.empty();
                defs.forEach(function (d) { $("<option>").attr("value", d.name).text(d.type || "").appendTo(datalist); });
                hint.text(t("attributesKnown", { names: defs.map(function (d) { return d.name; }).join(", ") || "—" }));
            }).fail(function (xhr) { hint.text(errorText(xhr)); });
        }
        options.container.css({ "min-height": "120px", "min-width": "450px" }).editableList({
            addButton: t("addAttribute"),
            removable: true,
            height: "auto",
            addItem: function (row, index, data) {
                var name = $('<input type="text" class="mv-attribute-name" style="width:40%">').attr("list", listId).attr("placeholder", t("attributeName")).val(data.name || "").appendTo(row);
                row.append(" ");
                var value = $('<input type="text" class="mv-attribute-value" style="width:55%">').attr("placeholder", t("attributeValue")).val(data.value === undefined ? "" : data.value).appendTo(row);
                if (options.typed) {
                    value.typedInput({ default: "str", types: ["str", "msg", "flow", "global", "env"] });
                    value.typedInput("type", data.type || "str");
                }
                row.data("read", function () {
                    return { name: name.val().trim(), value: value.val(), type: options.typed ? value.typedInput("type") : "str" };
                });
            }
        });
        // After the list's own wrapper, so the hint stays outside its scrolling area.
        hint.insertAfter(options.container.closest(".red-ui-editableList"));
        (options.rows || []).forEach(function (r) { options.container.editableList("addItem", r); });
        $(options.accountInput || "#node-input-account").on("change", refresh);
        refresh();
        return {
            value: function () {
                var out = [];
                options.container.editableList("items").each(function () {
                    var r = $(this).data("read")();
                    if (r.name) { out.push(r); }
                });
                return out;
            }
        };
    }

    window.MediaValetPickers = { categoryPicker: categoryPicker, attributeList: attributeList, fetchList: fetchList };
})();
