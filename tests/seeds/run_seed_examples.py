#!/usr/bin/env python3
"""Runs the vendors' delete examples (examples/, verbatim from their pages) against docket-sandbox.

Each example gets a freshly reset sandbox, only the vendor's host is replaced, and each must both print
what the vendor's page says it prints on success and be recorded by the sandbox as a 2xx answer from
the expected route.
"""

import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
EXAMPLES = HERE / "examples"
SANDBOX = None  # set from argv

VENDOR_HOSTS = {
    "scriptix": "https://api.scriptix.io/api/v3",
    "documentpro": "https://api.documentpro.ai",
}


def http_json(method, url, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"{}")


class SeedExamples(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        addresses = pathlib.Path(cls.tmp.name) / "addresses.json"
        cls.process = subprocess.Popen(
            [SANDBOX, "--quiet", "--addresses-file", str(addresses)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while not addresses.exists():
            if cls.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("docket-sandbox did not start: "
                                   + cls.process.stderr.read().decode(errors="replace"))
            time.sleep(0.05)
        cls.addresses = json.loads(addresses.read_text())
        cls.control = cls.addresses["control"]

    @classmethod
    def tearDownClass(cls):
        cls.process.terminate()
        cls.process.wait(timeout=10)
        cls.tmp.cleanup()

    def setUp(self):
        http_json("POST", self.control + "/reset", {})

    def base_url(self, service):
        return self.addresses["services"][service]["baseUrl"]

    def last_request(self, service):
        log = http_json("GET", self.control + "/requests?service=" + service)["requests"]
        self.assertTrue(log, "the sandbox saw no request")
        return log[-1]

    def run_example(self, name, replacements, prelude=""):
        text = (EXAMPLES / name).read_text()
        for old, new in replacements.items():
            self.assertIn(old, text, f"{name} no longer contains {old!r}")
            text = text.replace(old, new)
        if name.endswith(".sh"):
            command = ["bash", "-c", text]
        else:
            command = [sys.executable, "-c", prelude + text]
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 0, f"{name} failed: {result.stderr}")
        return result.stdout

    def assert_deleted_by(self, service, route):
        entry = self.last_request(service)
        self.assertEqual(entry["route"], route)
        self.assertIn(entry["status"], (200, 204), entry)
        return entry

    # Scriptix: host https://api.scriptix.io, base /api/v3
    def scriptix_hosts(self):
        return {VENDOR_HOSTS["scriptix"]: self.base_url("scriptix")}

    def test_scriptix_delete_document_curl(self):
        self.run_example("scriptix_delete_document.sh", self.scriptix_hosts())
        self.assert_deleted_by("scriptix", "document.delete")
        state = http_json("GET", self.control + "/state")["services"]["scriptix"]
        self.assertIn("doc_xyz789", state["deleted"]["documents"])

    def test_scriptix_delete_document_python(self):
        out = self.run_example("scriptix_delete_document.py", self.scriptix_hosts())
        self.assertIn("Document deleted successfully", out)
        self.assert_deleted_by("scriptix", "document.delete")

    def test_scriptix_delete_session_curl(self):
        self.run_example("scriptix_delete_session.sh", self.scriptix_hosts())
        self.assert_deleted_by("scriptix", "session.delete")
        state = http_json("GET", self.control + "/state")["services"]["scriptix"]
        self.assertIn("sess_abc123", state["deleted"]["sessions"])
        self.assertIn("doc_xyz789", state["deleted"]["documents"])

    def test_scriptix_delete_session_python(self):
        out = self.run_example("scriptix_delete_session.py", self.scriptix_hosts(),
                               prelude="import requests\n")
        self.assertIn("Session and all documents deleted successfully", out)
        self.assert_deleted_by("scriptix", "session.delete")

    def test_scriptix_delete_comment_curl(self):
        self.run_example("scriptix_delete_comment.sh", self.scriptix_hosts())
        self.assert_deleted_by("scriptix", "comment.delete")
        state = http_json("GET", self.control + "/state")["services"]["scriptix"]
        self.assertIn("comment_456", state["deleted"]["comments"])

    # DocumentPro: host https://api.documentpro.ai
    def test_documentpro_delete_result_python(self):
        out = self.run_example("documentpro_delete_result.py",
                               {VENDOR_HOSTS["documentpro"]: self.base_url("documentpro")})
        self.assertIn("Result deleted successfully", out)
        self.assertIn("File deleted successfully", out)
        self.assert_deleted_by("documentpro", "result.delete")
        state = http_json("GET", self.control + "/state")["services"]["documentpro"]
        self.assertIn("YOUR_REQUEST_ID", state["deleted"]["parserResults"])

    # Care360: placeholders <BASE_URL>, <redacted>, <accessToken>, <id>
    def care360_values(self):
        base = self.base_url("care360")
        credentials = self.addresses["services"]["care360"]["credentials"]
        tenant = {"cv-api-key": credentials["tenantKey"]}
        http_json("POST", base + "/api/v1/users/auth/send-otp",
                  {"email": credentials["email"], "channel": "EMAIL"}, tenant)
        signed_in = http_json("POST", base + "/api/v1/users/auth/verify-otp",
                              {"email": credentials["email"], "code": credentials["otpCode"]},
                              tenant)
        token = signed_in["data"]["accessToken"]
        files = http_json("GET", base + "/api/v1/users/me/files",
                          headers={**tenant, "Authorization": "Bearer " + token})["data"]["files"]
        # The patient may delete only files they uploaded themselves: pick one of those.
        candidates = [f for f in files if f["uploadedBy"]["id"] == credentials["patientId"]]
        self.assertTrue(candidates, "no deletable Care360 file in the demo data")
        return {"<BASE_URL>": base, "<redacted>": credentials["tenantKey"],
                "<accessToken>": token, "<id>": candidates[0]["id"]}, candidates[0]["id"]

    def test_care360_delete_file_curl(self):
        values, file_id = self.care360_values()
        out = self.run_example("care360_delete_file.sh", values)
        self.assertIn("File deleted successfully", out)
        self.assert_deleted_by("care360", "file.delete")
        state = http_json("GET", self.control + "/state")["services"]["care360"]
        self.assertIn(file_id, state["deleted"]["files"])

    def test_care360_delete_file_python(self):
        values, file_id = self.care360_values()
        out = self.run_example("care360_delete_file.py", values)
        self.assertIn("File deleted successfully", out)
        self.assert_deleted_by("care360", "file.delete")


if __name__ == "__main__":
    if len(sys.argv) < 2 or not os.access(sys.argv[1], os.X_OK):
        sys.exit("usage: run_seed_examples.py /path/to/docket-sandbox [unittest args]")
    SANDBOX = sys.argv.pop(1)
    unittest.main(verbosity=2)
