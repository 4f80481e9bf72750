"""The tfplugin crate serves any provider, not only metal3: its example provider
(tfplugin/examples/hello_provider.rs, built by `cargo build --workspace --all-targets`) is
installed from a filesystem mirror and driven by real Terraform: schema, apply, an empty plan, an
in-place change, a schema-declared default planned, a replacement declared in the schema, a
value outside the declared list refused, destroy."""

import json
import shutil

import pytest

from m3stack.testkit import PROJECT_ROOT, Terraform

EXAMPLE = PROJECT_ROOT / "target" / "debug" / "examples" / "hello_provider"
ADDRESS = "registry.terraform.io/example/hello"


@pytest.fixture
def hello(tmp_path) -> Terraform:
    if not EXAMPLE.is_file():
        pytest.fail(f"{EXAMPLE} is missing: `cargo build --workspace --all-targets` builds it")
    mirror = tmp_path / "mirror"
    target = mirror / ADDRESS / "0.1.0" / "linux_amd64" / "terraform-provider-hello_v0.1.0"
    target.parent.mkdir(parents=True)
    shutil.copy2(EXAMPLE, target)
    rc = tmp_path / "cli.tfrc"
    rc.write_text('provider_installation {\n  filesystem_mirror {\n'
                  f'    path    = "{mirror}"\n    include = ["{ADDRESS}"]\n  }}\n}}\n')
    tf = Terraform(tmp_path / "work", env={"TF_CLI_CONFIG_FILE": str(rc)})
    return tf


def config(name: str, language: str | None = None) -> str:
    chosen = f'  language = "{language}"\n' if language else ""
    return ('terraform {\n  required_providers {\n    hello = {\n      source  = "example/hello"\n'
            '      version = "0.1.0"\n    }\n  }\n}\n\n'
            f'resource "hello_greeting" "world" {{\n  name = "{name}"\n{chosen}}}\n\n'
            'output "text" {\n  value = hello_greeting.world.text\n}\n')


def test_terraform_runs_the_example_provider(hello):
    hello.write("main.tf", config("world"))
    hello.run("init", "-input=false")
    schema = json.loads(hello.run("providers", "schema", "-json").stdout)
    resource = schema["provider_schemas"][ADDRESS]["resource_schemas"]["hello_greeting"]
    assert set(resource["block"]["attributes"]) == {"name", "language", "text"}
    assert resource["block"]["attributes"]["text"]["computed"] is True

    first = hello.run("plan", "-input=false", "-no-color")
    assert 'language = "en"' in first.stdout, "the declared default is in the plan"
    hello.run("apply", "-input=false", "-auto-approve")
    assert json.loads(hello.run("output", "-json").stdout)["text"]["value"] == "Hello, world!"
    assert hello.run("plan", "-input=false", "-detailed-exitcode", check=False).returncode == 0

    hello.write("main.tf", config("Rust"))
    plan = hello.run("plan", "-input=false", "-detailed-exitcode", check=False)
    assert plan.returncode == 2 and "update in-place" in plan.stdout, plan.stdout
    hello.run("apply", "-input=false", "-auto-approve")
    assert json.loads(hello.run("output", "-json").stdout)["text"]["value"] == "Hello, Rust!"

    hello.write("main.tf", config("Rust", "fr"))
    plan = hello.run("plan", "-input=false", "-no-color")
    assert "must be replaced" in plan.stdout and "forces replacement" in plan.stdout, plan.stdout
    hello.run("apply", "-input=false", "-auto-approve")
    assert json.loads(hello.run("output", "-json").stdout)["text"]["value"] == "Bonjour, Rust !"

    hello.write("main.tf", config("Rust", "de"))
    refused = hello.run("plan", "-input=false", "-no-color", check=False)
    assert refused.returncode == 1, refused.stdout
    assert '"de" is not one of `en`, `fr`.' in refused.stderr, "the model's one_of rule"

    hello.write("main.tf", config("Rust", "fr"))
    hello.run("destroy", "-input=false", "-auto-approve")
    assert json.loads((hello.workdir / "terraform.tfstate").read_text())["resources"] == []
