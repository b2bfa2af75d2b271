"""The example page, rendered through Django's test client: the hash in the HTML must be
the one the Ensoras Node.js snippet (seeds/002, the vendor's reference) computes."""

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


HASH_RE = re.compile(r"hash: '([0-9a-f]{64})'")


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
        self.assertIn("email: 'Alice@Example.COM'", html)

    def test_unicode_email_matches_node(self):
        # JS toLowerCase: final sigma, dotted capital I, sharp S; not Python's str.lower() rules.
        email = "ΟΔΟΣ.İŞ.ẞ@Example.COM"
        html = self.render_for(email)
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
