# Everything a fresh machine needs goes through these targets; nothing is installed by hand.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DB     ?= $(HOME)/.local/share/recovery-skill/recovery.db
# Lambda runs Python 3.12 on x86_64: take wheels built for it, whatever Python builds the zip.
# Python 3.12 (Lambda's) to precompile the zip, so a cold start does not compile the SDK; optional.
LAMBDA_PY ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3 /usr/bin/python3.12 /usr/local/bin/python3.12))
LAMBDA_PLATFORM := --platform manylinux2014_x86_64 --python-version 3.12 --implementation cp --only-binary=:all:

.PHONY: setup run test validate bench lambda-zip skill-package clean system-deps node-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,web,voice,dynamodb]"
	touch $@

# Debian packages for the simulator's voice (espeak-ng); prints the command instead when not root.
system-deps:
	@bash scripts/install-system-packages.sh

# Node.js and dynalite (a DynamoDB-protocol server) for the storage tests.
node-deps:
	@if [ -f scripts/install-node-deps.sh ]; then bash scripts/install-node-deps.sh; fi

setup: $(STAMP) system-deps node-deps

# Talk to the skill on this machine: SQLite storage, no cloud account; answers are spoken.
run: $(STAMP) system-deps
	$(BIN)/recovery-skill sim --speak --db "$(DB)"

validate: $(STAMP)
	$(BIN)/recovery-skill validate

# The whole suite: certification checks, then every test.
test: setup
	$(BIN)/recovery-skill validate
	$(BIN)/python -m pytest

bench: setup lambda-zip
	$(BIN)/python bench/run_all.py

# Lambda deployment package: the handler, skill/ and runtime dependencies only.
# boto3 is part of the Lambda runtime, so the DynamoDB adapter goes in without its dependencies.
lambda-zip: $(STAMP)
	rm -rf build/lambda build/lambda.zip
	mkdir -p build/lambda
	$(BIN)/python -m pip install --quiet --target build/lambda $(LAMBDA_PLATFORM) \
		"ask-sdk-core>=1.19,<2" "ask-sdk-model>=1.82" "PyYAML>=6" tzdata
	$(BIN)/python -m pip install --quiet --no-deps --target build/lambda $(LAMBDA_PLATFORM) \
		"ask-sdk-dynamodb-persistence-adapter>=1.19,<2"
	$(BIN)/python -m skill.content
	cp lambda/lambda_function.py build/lambda/
	cp -r skill build/lambda/skill
	rm -rf build/lambda/skill/simulator build/lambda/skill/web build/lambda/skill/validate
	find build/lambda -name '__pycache__' -type d -prune -exec rm -rf {} +
	rm -rf build/lambda/bin build/lambda/*.dist-info/RECORD
	@if [ -n "$(LAMBDA_PY)" ]; then $(LAMBDA_PY) -m compileall -q --invalidation-mode unchecked-hash build/lambda; \
	else echo "no Python 3.12 here: the zip ships without .pyc, so its first cold start compiles"; fi
	cd build/lambda && $(CURDIR)/$(BIN)/python -c "import shutil; shutil.make_archive('../lambda', 'zip', '.')"
	@ls -l build/lambda.zip

# ASK CLI v2 skill package (ask-resources.json skillMetadata.src): skill.json, the model, the icons.
skill-package: $(STAMP)
	$(BIN)/python -m skill.validate package build/skill-package

clean:
	rm -rf build $(VENV) node_modules
