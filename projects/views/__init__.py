"""The pages of projects, one module per part of the project page."""
