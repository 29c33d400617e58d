from pathlib import Path

import pytest

from curation.config import ConfigError, load_config, parse_config

CONFIGS = Path(__file__).resolve().parents[1] / "configs"


@pytest.mark.parametrize("name", ["quickstart.yaml", "default.yaml"])
def test_shipped_configs_load(name):
    config = load_config(CONFIGS / name)
    assert config.tokenizer.name == "o200k_base"


def test_unknown_key_names_key_and_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("input:\n  paths: [a]\nnormalize:\n  enabeld: false\n")
    with pytest.raises(ConfigError, match=r"bad\.yaml: unknown key 'normalize\.enabeld'"):
        load_config(path)


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"shards": {"tokens_per_shard": 0}}, "shards.tokens_per_shard"),
        ({"input": {"format": "csv"}}, "input.format"),
        ({"exact_dedup": {"enabled": "sometimes"}}, "exact_dedup.enabled"),
        ({"input": {"synthetic": {"docs": -1}}}, "input.synthetic.docs"),
    ],
)
def test_bad_value_names_key(data, key):
    with pytest.raises(ConfigError, match=f"bad value for '{key}'"):
        parse_config(data, "x.yaml")


def test_not_yaml_and_missing_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("input: [unclosed\n")
    with pytest.raises(ConfigError, match=r"broken\.yaml: not valid YAML"):
        load_config(path)
    with pytest.raises(ConfigError, match="cannot read config"):
        load_config(tmp_path / "absent.yaml")


def test_yaml_is_loaded_safely(tmp_path):
    path = tmp_path / "unsafe.yaml"
    path.write_text("input: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(path)


def test_stages_can_be_switched_off_and_defaults_resolve():
    config = parse_config({"normalize": {"enabled": False}, "exact_dedup": {"enabled": False}})
    resolved = config.resolved()
    assert resolved["normalize"]["enabled"] is False
    assert resolved["shards"]["tokens_per_shard"] == 100_000_000


def test_paths_and_synthetic_are_exclusive():
    with pytest.raises(ConfigError, match=r"either input\.paths or input\.synthetic"):
        parse_config({"input": {"paths": ["a"], "synthetic": {"docs": 3}}})
