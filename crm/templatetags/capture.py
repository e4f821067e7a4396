"""`{% capture as name %}…{% endcapture %}`: render a piece of a template into a variable.

page.html uses it to wrap a child's block in markup only when the child fills it, so a
page without a lede gets no empty `<p class="muted">` and one without buttons no empty
`<div class="actions">`. Blocks inside it are still blocks a child can override.
"""

from django import template
from django.template.base import Node, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


class CaptureNode(Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist: NodeList, name: str) -> None:
        self.nodelist = nodelist
        self.name = name

    def render(self, context: Context) -> str:
        # Set in the current context layer: visible to the rest of the enclosing block only.
        context[self.name] = self.captured(context)
        return ""

    def captured(self, context: Context) -> SafeString:
        # The template engine escaped what it rendered; strip() only drops the blank lines
        # around it, so "filled" means some text, not a newline.
        return mark_safe(self.nodelist.render(context).strip())  # noqa: S308


@register.tag
def capture(parser: Parser, token: Token) -> CaptureNode:
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Use it as {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])
