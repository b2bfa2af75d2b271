"""The example page, rendered through Django's test client: the hash in the HTML must be
the one the Ensoras Node.js snippet (seeds/002, the vendor's reference) computes."""

import json
import os
import re
import subprocess
from unittest import mock

from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Template
from django.test import TestCase, override_settings

import userhash
import userhash.django

SECRET = "s3cr3t"

# The vendor's Node.js snippet, verbatim but for where the inputs come from.
ENSORAS_NODE_SNIPPET = """
const crypto = require('crypto');
const widgetSecret = process.env.WIDGET_SECRET;
const email = process.env.USER_EMAIL;
const hash = crypto.createHmac('sha256', widgetSecret)
  .update(email.toLowerCase())
  .digest('hex');
process.stdout.write(hash);
"""

# What that snippet prints for s3cr3t / Alice@Example.COM.
ENSORAS_ALICE = "ab95b46c56bf1e130a97a04151c226e8916a5b09561edf60d4f91c4a1860f995"


def oracle_hash(secret, email):
    env = dict(os.environ, WIDGET_SECRET=secret, USER_EMAIL=email)
    out = subprocess.run(
        ["node", "-e", ENSORAS_NODE_SNIPPET], env=env, capture_output=True, check=True, text=True
    )
    return out.stdout.strip()


HASH_RE = re.compile(r'"hash":"([0-9a-f]{64})"')


@mock.patch.dict(os.environ, {"ENSORAS_SECRET": SECRET})
class WidgetPageTests(TestCase):
    def setUp(self):
        userhash.django.reset()

    def tearDown(self):
        userhash.django.reset()

    def render_for(self, email):
        # create(), not create_user(): keep the email exactly as given (no domain normalization).
        user = User.objects.create(username=email, email=email)
        self.client.force_login(user)
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_alice_hash_matches_the_vendor_snippet(self):
        html = self.render_for("Alice@Example.COM")
        self.assertEqual(HASH_RE.findall(html), [ENSORAS_ALICE])
        self.assertEqual(oracle_hash(SECRET, "Alice@Example.COM"), ENSORAS_ALICE)
        self.assertIn('Ensoras(\'identify\', {"email":"Alice@Example.COM","hash":"%s"});' % ENSORAS_ALICE, html)
        self.assertIn('<script src="https://app.ensoras.com/cdn/v1/widget/YOUR_SLUG.js" async defer></script>', html)

    def test_unicode_email_matches_node(self):
        # JS toLowerCase: final sigma, dotted capital I, sharp S; not Python's str.lower() rules.
        email = "ΟΔΟΣ.İŞ.ẞ@Example.COM"
        html = self.render_for(email)
        self.assertEqual(HASH_RE.findall(html), [oracle_hash(SECRET, email)])

    def test_hostile_email_cannot_break_out_of_the_script(self):
        email = "</script><script>window.pwned=1</script>\u2028'\"@x.com"
        html = self.render_for(email)
        self.assertNotIn("<script>window.pwned", html)
        script = html[html.index("<script>") : html.index("</script>")]
        self.assertNotIn("\u2028", script)  # a raw line separator (the <p> may hold it: that is HTML text)
        self.assertIn("\\u003c/script\\u003e\\u003cscript\\u003ewindow.pwned=1", html)
        self.assertEqual(HASH_RE.findall(html), [oracle_hash(SECRET, email)])

    def test_anonymous_visitor_gets_no_identify_call(self):
        html = self.client.get("/").content.decode()
        self.assertNotIn("identify", html)
        self.assertIn("app.ensoras.com", html)

    def test_secret_read_from_environment(self):
        with mock.patch.dict(os.environ, {"ENSORAS_SECRET": "another-secret"}):
            userhash.django.reset()
            html = self.render_for("bob@example.com")
        self.assertEqual(HASH_RE.findall(html), [oracle_hash("another-secret", "bob@example.com")])


class DjangoIntegrationTests(TestCase):
    def setUp(self):
        userhash.django.reset()

    def test_template_tag_as_variable_and_other_fields(self):
        with override_settings(USERHASH={"inviaro": {"secret": SECRET}}):
            out = Template(
                '{% load userhash %}{% userhash_sign "inviaro" user_id=uid as h %}[{{ h }}]'
            ).render(Context({"uid": 42}))
            self.assertEqual(out, "[%s]" % userhash.Signer(SECRET, "inviaro").sign(user_id="42"))

    def test_override_settings_rebuilds_signers(self):
        with override_settings(USERHASH={"w": {"secret": "one", "preset": "layerup"}}):
            first = userhash.django.sign("w", email="a@b.c")
        with override_settings(USERHASH={"w": {"secret": "two", "preset": "layerup"}}):
            second = userhash.django.sign("w", email="a@b.c")
            self.assertTrue(userhash.django.verify("w", second, email="a@b.c"))
        self.assertNotEqual(first, second)

    def test_previous_env(self):
        env = {"UH_NEW": "new", "UH_OLD": "old"}
        conf = {"w": {"secret_env": "UH_NEW", "previous_env": ["UH_OLD"], "preset": "layerup"}}
        with mock.patch.dict(os.environ, env), override_settings(USERHASH=conf):
            old_hash = userhash.Signer("old", "layerup").sign(email="a@b.c")
            self.assertTrue(userhash.django.verify("w", old_hash, email="a@b.c"))

    def test_configuration_errors(self):
        with override_settings(USERHASH={"ensoras": {"secret_env": "UH_DEFINITELY_UNSET"}}):
            with self.assertRaises(ImproperlyConfigured):
                userhash.django.get_signer("nope")
            with self.assertRaises(userhash.EmptySecretError) as e:
                userhash.django.get_signer("ensoras")
            self.assertIn("UH_DEFINITELY_UNSET", str(e.exception))
        with override_settings(USERHASH={"x": {"secret": "s", "secret_env": "X"}}):
            with self.assertRaises(ImproperlyConfigured):
                userhash.django.get_signer("x")
        with override_settings(USERHASH={"x": {"secret": "s", "presett": "layerup"}}):
            with self.assertRaises(ImproperlyConfigured):
                userhash.django.get_signer("x")

    def test_tag_raises_instead_of_rendering_an_empty_hash(self):
        with override_settings(USERHASH={"ensoras": {"secret": SECRET}}):
            with self.assertRaises(userhash.EmptyIdentityError):
                Template('{% load userhash %}{% userhash_sign "ensoras" email="" %}').render(Context())


    def test_embed_tag_routes_keywords_between_input_and_options(self):
        conf = {"inviaro": {"secret": SECRET}, "layerup": {"secret": SECRET}, "fluentbot": {"secret": SECRET}}
        with override_settings(USERHASH=conf):
            # Inviaro signs user_id: its email= is the display email option.
            out = Template(
                '{% load userhash %}{% userhash_embed "inviaro" user_id=uid widget="wt_1" email=mail name=who %}'
            ).render(Context({"uid": 42, "mail": "ann@x.com", "who": "<Ann>"}))
            want = userhash.Signer(SECRET, "inviaro").embed(
                {"user_id": 42}, widget="wt_1", email="ann@x.com", name="<Ann>"
            )
            self.assertEqual(out, want)
            self.assertIn('"userEmail":"ann@x.com","userName":"\\u003cAnn\\u003e"', out)
            # Form url is a plain string: autoescaped into an attribute like any URL.
            out = Template(
                '{% load userhash %}{% userhash_embed "layerup" email="a+b@x.com" widget="w" form="url" as u %}'
                '<a href="{{ u }}">'
            ).render(Context())
            h = userhash.Signer(SECRET, "layerup").sign(email="a+b@x.com")
            self.assertEqual(out, f'<a href="https://us.uselayerup.com/widget/w?ue=a%2Bb%40x.com&amp;uh={h}">')
            # Positional input and options dicts; a Signer instead of a settings name.
            signer = userhash.Signer(SECRET, "fluentbot")
            visitor = {"name": "Ann", "email": "a@b.c", "data": {"plan": "pro"}}
            out = Template("{% load userhash %}{% userhash_embed s i o %}").render(
                Context({"s": signer, "i": {"visitor": visitor}, "o": {"widget": "BOT"}})
            )
            self.assertEqual(out, signer.embed({"visitor": visitor}, widget="BOT"))
            self.assertEqual(userhash.django.embed("fluentbot", {"visitor": visitor}, widget="BOT"), out)

    def test_embed_tag_raises(self):
        with override_settings(USERHASH={"ensoras": {"secret": SECRET}}):
            with self.assertRaises(userhash.EmptyIdentityError):
                Template('{% load userhash %}{% userhash_embed "ensoras" email="" widget="w" %}').render(Context())
            with self.assertRaises(userhash.InvalidInputError):
                Template('{% load userhash %}{% userhash_embed "ensoras" email="a@b" %}').render(Context())
            with self.assertRaises(userhash.InvalidInputError):
                Template('{% load userhash %}{% userhash_embed "ensoras" email="a@b" widget="w" color="red" %}').render(
                    Context()
                )


BROWSER_CONF = {
    f"browser-{p}": {"secret_env": "USERHASH_SECRET", "preset": p} for p in userhash.PRESETS
}


@mock.patch.dict(os.environ, {"USERHASH_SECRET": SECRET})
@override_settings(USERHASH=BROWSER_CONF)
class EmbedTestRouteTests(TestCase):
    """The test-only route the browser harness (tests/browser) POSTs its cases to."""

    def setUp(self):
        userhash.django.reset()

    def post(self, case):
        from django.test import RequestFactory

        from widget.views import embed_test

        request = RequestFactory().post("/userhash/embed", json.dumps(case), content_type="application/json")
        return embed_test(request)

    def test_script_page_and_bare_forms(self):
        email = "Alice@Example.COM"
        res = self.post({"preset": "ensoras", "input": {"email": email}, "options": {"widget": "acme"}})
        self.assertEqual(res.status_code, 200)
        html = res.content.decode()
        self.assertTrue(html.startswith("<!doctype html>"))
        self.assertEqual(HASH_RE.findall(html), [ENSORAS_ALICE])
        res = self.post({"preset": "layerup", "input": {"email": "a+b@x.com"}, "options": {"widget": "w", "form": "url"}})
        h = userhash.Signer(SECRET, "layerup").sign(email="a+b@x.com")
        self.assertEqual(res.content.decode(), f"https://us.uselayerup.com/widget/w?ue=a%2Bb%40x.com&uh={h}")
        res = self.post({"preset": "ensoras", "input": {"email": email}, "options": {"widget": "w", "form": "identify"}})
        self.assertEqual(res.content.decode(), f'Ensoras(\'identify\', {{"email":"{email}","hash":"{ENSORAS_ALICE}"}});')

    def test_unknown_preset_is_404(self):
        self.assertEqual(self.post({"preset": "no-such-preset", "input": {}, "options": {}}).status_code, 404)

    def test_route_is_off_by_default(self):
        from exampleproject import urls

        self.assertFalse(any(str(p.pattern) == "userhash/embed" for p in urls.urlpatterns))
