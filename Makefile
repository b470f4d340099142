# Everything a fresh machine needs goes through these targets; nothing is installed by hand.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DB     ?= $(HOME)/.local/share/recovery-skill/recovery.db
# Lambda runs Python $(LAMBDA_PYTHON_VERSION) on x86_64 (the runtime in ask-resources.json): take wheels built
# for it, whatever Python builds the zip.
LAMBDA_PYTHON_VERSION := 3.12
# That Python, to precompile the zip, so a cold start does not compile the SDK; optional.
LAMBDA_PY ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/$(LAMBDA_PYTHON_VERSION)*/bin/python3 \
	/usr/bin/python$(LAMBDA_PYTHON_VERSION) /usr/local/bin/python$(LAMBDA_PYTHON_VERSION)))
LAMBDA_PLATFORM := --platform manylinux2014_x86_64 --python-version $(LAMBDA_PYTHON_VERSION) --implementation cp \
	--only-binary=:all:

.PHONY: setup run test validate bench lambda-zip clean system-deps node-deps

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

# Lambda deployment package: the handler, skill/ and runtime dependencies only, as pyproject.toml lists
# them (scripts/lambda_requirements.py). boto3 is part of the Lambda runtime, so the DynamoDB adapter goes
# in without its dependencies. The SDK's own .pyc are compiled without its docstrings' SyntaxWarnings;
# ours with every warning an error.
lambda-zip: $(STAMP)
	rm -rf build/lambda build/lambda.zip
	mkdir -p build/lambda
	$(BIN)/python scripts/lambda_requirements.py resolve > build/lambda-requirements.txt
	$(BIN)/python scripts/lambda_requirements.py no-deps > build/lambda-requirements-no-deps.txt
	$(BIN)/python -m pip install --quiet --target build/lambda $(LAMBDA_PLATFORM) -r build/lambda-requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --target build/lambda $(LAMBDA_PLATFORM) \
		-r build/lambda-requirements-no-deps.txt
	$(BIN)/python -m skill.content
	cp lambda/lambda_function.py build/lambda/
	cp -r skill build/lambda/skill
	rm -rf build/lambda/skill/simulator build/lambda/skill/web build/lambda/skill/validate
	find build/lambda -name '__pycache__' -type d -prune -exec rm -rf {} +
	rm -rf build/lambda/bin build/lambda/*.dist-info/RECORD
	@if [ -n "$(LAMBDA_PY)" ]; then \
		$(LAMBDA_PY) -W ignore::SyntaxWarning -m compileall -q --invalidation-mode unchecked-hash \
			-x '^build/lambda/(skill|lambda_function)' build/lambda && \
		$(LAMBDA_PY) -W error -m compileall -q --invalidation-mode unchecked-hash \
			build/lambda/skill build/lambda/lambda_function.py; \
	else echo "no Python $(LAMBDA_PYTHON_VERSION) here: the zip ships without .pyc, so its first cold start compiles"; fi
	cd build/lambda && $(CURDIR)/$(BIN)/python -c "import shutil; shutil.make_archive('../lambda', 'zip', '.')"
	@ls -l build/lambda.zip

clean:
	rm -rf build $(VENV) node_modules
