"""The skill's APL screen as an HTML page, for pictures taken with headless Chromium.

Amazon's own web renderer (npm apl-viewhost-web) downloads its build from a CDN
when installed, which this project cannot reach, so this module renders the
APL the skill's document uses, and nothing else: it evaluates the document's
resources for a viewport (the ``when`` conditions), its data bindings against
the RenderDocument directive's data sources, and lays out Frame, Container,
ScrollView, TouchWrapper and Text with CSS flexbox, 1 dp = 1 CSS pixel, the
device's dpi as Chromium's device scale factor. A component or property it does
not know is an error, never silently dropped, so a picture shows all of the
document or none of it. Fonts are the machine's sans-serif, not Amazon Ember.
"""
from __future__ import annotations

import html
import re

# Properties that change nothing in a still picture.
NO_PICTURE = {"id", "description", "accessibilityLabel", "onPress", "when", "type"}
SUPPORTED = {
    "Frame": {"width", "height", "backgroundColor", "borderColor", "borderWidth", "borderRadius", "item", "spacing"},
    "Container": {"width", "height", "direction", "paddingLeft", "paddingRight", "paddingTop", "paddingBottom",
                  "items", "data", "justifyContent", "alignItems", "spacing"},
    "ScrollView": {"grow", "shrink", "spacing", "item", "height", "width"},
    "TouchWrapper": {"spacing", "item"},
    "Text": {"text", "fontSize", "fontWeight", "color", "textAlign", "textAlignVertical", "lineHeight", "maxLines",
             "spacing", "height", "paddingLeft", "paddingRight"},
}
_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|'(?P<str>[^']*)'|(?P<name>[A-Za-z_][\w.]*)|(?P<op>==|!=|<=|>=|&&|\|\||[<>!()]))")
_BINDING = re.compile(r"\$\{([^}]*)\}")


class Unsupported(ValueError):
    """The document uses APL this renderer does not draw."""


# ---------------------------------------------------------------- data binding


def evaluate(expression: str, scope: dict):
    """An APL data-binding expression of the kinds the document uses: names, literals, comparisons, && || !."""
    tokens, pos = [], 0
    while pos < len(expression.rstrip()):
        match = _TOKEN.match(expression, pos)
        if not match:
            raise Unsupported(f"cannot read the expression {expression!r}")
        tokens.append(match)
        pos = match.end()
    value, rest = _or(tokens, scope)
    if rest:
        raise Unsupported(f"cannot read the expression {expression!r}")
    return value


def _or(tokens, scope):
    left, tokens = _and(tokens, scope)
    while tokens and tokens[0]["op"] == "||":
        right, tokens = _and(tokens[1:], scope)
        left = left or right
    return left, tokens


def _and(tokens, scope):
    left, tokens = _compare(tokens, scope)
    while tokens and tokens[0]["op"] == "&&":
        right, tokens = _compare(tokens[1:], scope)
        left = left and right
    return left, tokens


_COMPARE = {"==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
            ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b}


def _compare(tokens, scope):
    left, tokens = _unary(tokens, scope)
    if tokens and tokens[0]["op"] in _COMPARE:
        op = tokens[0]["op"]
        right, tokens = _unary(tokens[1:], scope)
        return _COMPARE[op](left, right), tokens
    return left, tokens


def _unary(tokens, scope):
    if not tokens:
        raise Unsupported("expression ends too soon")
    token = tokens[0]
    if token["op"] == "!":
        value, rest = _unary(tokens[1:], scope)
        return not value, rest
    if token["op"] == "(":
        value, rest = _or(tokens[1:], scope)
        if not rest or rest[0]["op"] != ")":
            raise Unsupported("unbalanced parenthesis")
        return value, rest[1:]
    if token["num"] is not None:
        return float(token["num"]), tokens[1:]
    if token["str"] is not None:
        return token["str"], tokens[1:]
    if token["name"] is not None:
        return _lookup(token["name"], scope), tokens[1:]
    raise Unsupported(f"unexpected {token.group(0)!r}")


def _lookup(name: str, scope: dict):
    parts = name.split(".")
    value = scope[parts[0]]
    for part in parts[1:]:
        if part == "length" and isinstance(value, (list, str)):
            value = len(value)
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            raise Unsupported(f"{name}: no {part}")
    return value


def bind(value, scope: dict, resources: dict):
    """A property value with ${...} evaluated and @resource names replaced."""
    if isinstance(value, str):
        if value.startswith("@"):
            if value[1:] not in resources:
                raise Unsupported(f"no resource {value}")
            return resources[value[1:]]
        whole = _BINDING.fullmatch(value)
        if whole:
            return evaluate(whole.group(1), scope)
        return _BINDING.sub(lambda m: str(evaluate(m.group(1), scope)), value)
    if isinstance(value, list):
        return [bind(v, scope, resources) for v in value]
    return value


# ---------------------------------------------------------------- layout


def viewport_scope(viewport: dict) -> dict:
    """APL's ``viewport`` for a device of envelopes.VIEWPORTS: sizes in dp."""
    scale = viewport["dpi"] / 160
    return {"width": viewport["pixelWidth"] / scale, "height": viewport["pixelHeight"] / scale,
            "pixelWidth": viewport["pixelWidth"], "pixelHeight": viewport["pixelHeight"], "dpi": viewport["dpi"],
            "shape": viewport["shape"].lower(), "mode": "hub", "theme": "dark"}


def resources_for(document: dict, scope: dict) -> dict:
    found = {}
    for block in document.get("resources") or []:
        if "when" in block and not bind(block["when"], scope, {}):
            continue
        for group in ("dimensions", "strings", "colors", "numbers"):
            found.update(block.get(group) or {})
    return found


def _size(value) -> str:
    if isinstance(value, (int, float)):
        return f"{value}px"
    text = str(value)
    for unit, css in (("dp", "px"), ("vw", "vw"), ("vh", "vh"), ("%", "%")):
        if text.endswith(unit):
            return text[: -len(unit)] + css
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return text + "px"
    raise Unsupported(f"size {value!r}")


_JUSTIFY = {"start": "flex-start", "end": "flex-end", "center": "center", "spaceBetween": "space-between",
            "spaceAround": "space-around"}


def _component(spec: dict, scope: dict, resources: dict, parent_direction: str, first: bool) -> str:
    if "when" in spec and not bind(spec["when"], scope, resources):
        return ""
    kind = spec.get("type")
    if kind not in SUPPORTED:
        raise Unsupported(f"component {kind}")
    unknown = set(spec) - SUPPORTED[kind] - NO_PICTURE
    if unknown:
        raise Unsupported(f"{kind} properties {sorted(unknown)}")
    get = {k: bind(v, scope, resources) for k, v in spec.items() if k not in ("item", "items", "data")}
    style = ["box-sizing:border-box", "display:flex", "min-width:0"]
    if "spacing" in get and not first:
        style.append(f"margin-{'top' if parent_direction == 'column' else 'left'}:{_size(get['spacing'])}")
    for prop, css in (("width", "width"), ("height", "height"), ("paddingLeft", "padding-left"),
                      ("paddingRight", "padding-right"), ("paddingTop", "padding-top"),
                      ("paddingBottom", "padding-bottom"), ("borderWidth", "border-width"),
                      ("borderRadius", "border-radius")):
        if prop in get:
            style.append(f"{css}:{_size(get[prop])}")
    if "backgroundColor" in get:
        style.append(f"background-color:{get['backgroundColor']}")
    if "borderColor" in get:
        style.append(f"border-style:solid;border-color:{get['borderColor']}")
    if "grow" in get:
        style.append(f"flex-grow:{get['grow']}")
    if "shrink" in get:
        style.append(f"flex-shrink:{get['shrink']}")
    inner = ""
    if kind == "Text":
        style += [f"font-size:{_size(get.get('fontSize', '40dp'))}", f"color:{get.get('color', '#FAFAFA')}",
                  f"font-weight:{'700' if get.get('fontWeight') == 'bold' else get.get('fontWeight', '400')}",
                  f"line-height:{get.get('lineHeight', 1.25)}", "flex-direction:column",
                  f"text-align:{get.get('textAlign', 'auto')}", "white-space:pre-wrap"]
        vertical = get.get("textAlignVertical", "auto")
        style.append(f"justify-content:{ {'center': 'center', 'bottom': 'flex-end'}.get(vertical, 'flex-start') }")
        text = html.escape(str(get.get("text", "")))
        if get.get("maxLines"):
            text = f'<span style="display:-webkit-box;-webkit-box-orient:vertical;overflow:hidden;' \
                   f'-webkit-line-clamp:{int(get["maxLines"])}">{text}</span>'
        else:
            text = f"<span>{text}</span>"
        inner = text
    elif kind == "Container":
        direction = get.get("direction", "column")
        style += [f"flex-direction:{direction}", f"justify-content:{_JUSTIFY[get.get('justifyContent', 'start')]}",
                  f"align-items:{_JUSTIFY.get(get.get('alignItems', 'stretch'), 'stretch')}"]
        children = spec.get("items") or []
        if "data" in spec:
            rows = bind(spec["data"], scope, resources) or []
            parts = [_component(children[0], {**scope, "data": row, "index": i}, resources, direction, i == 0)
                     for i, row in enumerate(rows)]
        else:
            parts, shown = [], 0
            for child in children:
                part = _component(child, scope, resources, direction, shown == 0)
                shown += bool(part)
                parts.append(part)
        inner = "".join(parts)
    else:  # Frame, ScrollView, TouchWrapper: one child
        style.append("flex-direction:column")
        if kind == "ScrollView":
            style.append("overflow:hidden;min-height:0")
        inner = _component(spec["item"], scope, resources, "column", True) if spec.get("item") else ""
    ident = f' data-id="{html.escape(str(get["id"]))}"' if get.get("id") else ""
    return f'<div data-apl="{kind}"{ident} style="{";".join(style)}">{inner}</div>'


def page(directive: dict, viewport: dict) -> str:
    """A full HTML page of a RenderDocument directive as a device with this viewport would show it."""
    document = directive["document"]
    template = document["mainTemplate"]
    if len(template.get("parameters") or []) != 1:
        raise Unsupported("mainTemplate must take the data sources as one parameter")
    scope = {"viewport": viewport_scope(viewport), template["parameters"][0]: directive["datasources"]}
    resources = resources_for(document, scope)
    body = "".join(_component(item, scope, resources, "column", True) for item in template["items"])
    size = scope["viewport"]
    round_mask = (
        '<div style="position:fixed;inset:0;border-radius:50%;box-shadow:0 0 0 100vmax #202020;'
        'pointer-events:none"></div>' if size["shape"] == "round" else ""
    )
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width={size['width']:.0f},height={size['height']:.0f}'>"
        "<style>html,body{margin:0;padding:0;overflow:hidden;background:#000;"
        "font-family:'DejaVu Sans','Liberation Sans',Arial,sans-serif}</style></head>"
        f"<body>{body}{round_mask}</body></html>"
    )
