"""The words of the 400, 403 and 404 pages and of an expired form's (Django's CSRF failure).

Django's handlers render 400.html, 403.html, 404.html and 403_csrf.html; each of those
templates picks its page here by that name (`{% error_page "404" as error %}`, from
crm/templatetags/error_pages.py) and shows it in the one layout, error.html. 500.html
stands alone: it is rendered without a request or the database.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ErrorPage:
    status: int
    title: Promise
    heading: Promise
    explanation: Promise


PAGES = {
    "400": ErrorPage(
        400,
        _("Bad request"),
        _("Rapport could not understand that request"),
        _(
            "Something in the address or the form was not what Rapport expected. Go back, "
            "check what you typed and try again."
        ),
    ),
    "403": ErrorPage(
        403,
        _("Not allowed"),
        _("You can't open this page"),
        _(
            "Your account does not have access to it. If you think it should, ask your "
            "Rapport administrator."
        ),
    ),
    "403_csrf": ErrorPage(
        403,
        _("Form expired"),
        _("This form has expired"),
        _(
            "For your safety Rapport only accepts a form from the page that showed it. This "
            "happens after logging in or out in another tab, or when your browser blocks "
            "cookies for this site. Go back, reload the page and send the form again."
        ),
    ),
    "404": ErrorPage(
        404,
        _("Page not found"),
        _("This page does not exist"),
        _(
            "The link may be old, or the person or note it pointed to has been deleted or "
            "merged into another contact."
        ),
    ),
}
